// Synthetic EEG headset: pink background noise per channel plus posterior alpha and
// sensorimotor mu/beta rhythms, with event-related desynchronisation (ERD) during motor
// imagery. Pure and deterministic: the same seed gives the same signal however it is chunked,
// because all state (random stream, filters, ERD gains) advances one sample at a time.
import { Rng } from './random';
import { PinkFilter } from './pink';
import { Resonator } from './resonator';
import {
  ALPHA_TOPO,
  LEFT_MOTOR_TOPO,
  MID_MOTOR_TOPO,
  MONTAGE_64,
  RIGHT_MOTOR_TOPO,
  topographyWeights,
  type Topography,
} from './montage';

/** Motor-imagery cue: left hand, right hand or both feet. */
export type MiCue = 'left' | 'right' | 'feet';
export const MI_CUES: readonly MiCue[] = ['left', 'right', 'feet'];

export interface SyntheticEegOptions {
  fsHz?: number;
  channels?: readonly string[];
  seed?: number;
  /** RMS of the per-channel pink background, µV (default 10). */
  noiseUv?: number;
  /** RMS of posterior alpha at full weight (O1/Oz/O2), µV (default 12). */
  alphaUv?: number;
  /** RMS of mu (~11 Hz) over C3/C4/Cz at rest, µV (default 8). */
  muUv?: number;
  /** RMS of beta (~20 Hz) over C3/C4/Cz at rest, µV (default 4). */
  betaUv?: number;
  /** Amplitude of mains interference, µV (default 0 = none). */
  lineNoiseUv?: number;
  lineHz?: 50 | 60;
  /** Fraction of mu/beta POWER lost at the ERD focus during imagery (default 0.5). */
  erdPowerDrop?: number;
  /** Time constant of ERD onset and recovery, seconds (default 0.3). */
  erdTauS?: number;
}

type Region = 'occipital' | 'left' | 'right' | 'mid';

interface Source {
  region: Region;
  osc: Resonator;
  weights: Float64Array;
  rmsUv: number;
  gain: number;
  target: number;
}

/** The motor region whose rhythms desynchronise for each imagery class (contralateral for hands). */
const ERD_REGION: Record<MiCue, Region> = { left: 'right', right: 'left', feet: 'mid' };

const TOPO: Record<Region, Topography> = { occipital: ALPHA_TOPO, left: LEFT_MOTOR_TOPO, right: RIGHT_MOTOR_TOPO, mid: MID_MOTOR_TOPO };

export class SyntheticEeg {
  readonly fsHz: number;
  readonly channels: readonly string[];
  private readonly rng: Rng;
  private readonly pink: PinkFilter[];
  private readonly noiseUv: number;
  private readonly sources: Source[] = [];
  private readonly lineAmp: Float64Array;
  private readonly lineStep: number;
  private readonly erdGain: number;
  private readonly smoothing: number;
  private cue: MiCue | null = null;
  /** Samples produced so far (drives the mains phase). */
  private n = 0;

  constructor(options: SyntheticEegOptions = {}) {
    this.fsHz = options.fsHz ?? 160;
    this.channels = [...(options.channels ?? MONTAGE_64)];
    if (!(this.fsHz > 0)) throw new RangeError(`fsHz must be positive, got ${this.fsHz}`);
    if (this.channels.length === 0) throw new RangeError('at least one channel is needed');
    this.rng = new Rng(options.seed ?? 1);
    this.noiseUv = options.noiseUv ?? 10;
    this.pink = this.channels.map(() => new PinkFilter());
    const drop = options.erdPowerDrop ?? 0.5;
    if (!(drop >= 0 && drop < 1)) throw new RangeError(`erdPowerDrop must be in [0, 1), got ${drop}`);
    this.erdGain = Math.sqrt(1 - drop);
    this.smoothing = 1 - Math.exp(-1 / ((options.erdTauS ?? 0.3) * this.fsHz));

    // Individual peak frequencies differ a little between people and hemispheres.
    const jitter = (hz: number, spread: number) => hz + (this.rng.uniform() * 2 - 1) * spread;
    const nyquist = this.fsHz / 2;
    const add = (region: Region, hz: number, bw: number, rmsUv: number) => {
      if (rmsUv <= 0 || hz >= nyquist - bw) return;
      this.sources.push({ region, osc: new Resonator(hz, bw, this.fsHz), weights: topographyWeights(this.channels, TOPO[region]), rmsUv, gain: 1, target: 1 });
    };
    add('occipital', jitter(10, 0.5), 1.2, options.alphaUv ?? 12);
    for (const region of ['left', 'right', 'mid'] as const) {
      add(region, jitter(11, 0.5), 1.5, options.muUv ?? 8);
      add(region, jitter(20, 1.5), 3, options.betaUv ?? 4);
    }

    const line = options.lineNoiseUv ?? 0;
    this.lineAmp = Float64Array.from(this.channels, () => line * (0.5 + this.rng.uniform()));
    this.lineStep = (2 * Math.PI * (options.lineHz ?? 50)) / this.fsHz;

    // Warm up so the first sample is already stationary (filters start from zero state).
    this.next(Math.round(5 * this.fsHz));
    this.n = 0;
  }

  /** Current imagery cue (null = rest). */
  get currentCue(): MiCue | null {
    return this.cue;
  }

  /** Starts (kind) or ends (null) motor imagery; ERD develops with the configured time constant. */
  setCue(kind: MiCue | 'rest' | null): void {
    this.cue = kind === 'rest' ? null : kind;
    const focus = this.cue === null ? null : ERD_REGION[this.cue];
    for (const s of this.sources) s.target = s.region === focus ? this.erdGain : 1;
  }

  /** The next nSamples of every channel, channel-major: out[c * nSamples + i], in µV. */
  next(nSamples: number): Float32Array {
    const nCh = this.channels.length;
    const out = new Float32Array(nCh * nSamples);
    const srcValues = new Float64Array(this.sources.length);
    for (let i = 0; i < nSamples; i++) {
      for (let s = 0; s < this.sources.length; s++) {
        const src = this.sources[s];
        src.gain += (src.target - src.gain) * this.smoothing;
        srcValues[s] = src.osc.step(this.rng.normal()) * src.rmsUv * src.gain;
      }
      const linePhase = this.lineStep * this.n;
      const lineSin = Math.sin(linePhase);
      for (let c = 0; c < nCh; c++) {
        let v = this.pink[c].step(this.rng.normal()) * this.noiseUv + this.lineAmp[c] * lineSin;
        for (let s = 0; s < this.sources.length; s++) v += this.sources[s].weights[c] * srcValues[s];
        out[c * nSamples + i] = v;
      }
      this.n++;
    }
    return out;
  }
}
