// Synthetic water-network sensor (e.g. a pumping station): one reading per minute of flow
// (m³/h) and outlet pressure (bar). Demand follows a daily cycle with morning and evening peaks,
// lower and later on weekends; pressure falls with flow (friction loss ∝ flow²). Pure: the
// device clock is passed in and advanced one minute per reading.
import { Rng } from './random';
import { applyAnomaly, isActive, type AnomalySpec, ANOMALY_KINDS } from './anomaly';

export interface SyntheticSensorOptions {
  /** Device time of the first reading, ms since the Unix epoch (UTC day/week phases). */
  startMs: number;
  seed?: number;
  /** Mean flow, m³/h (default 120). */
  baseFlow?: number;
  /** Pressure at zero flow, bar (default 5). */
  staticPressure?: number;
  /** Pressure lost at the mean flow, bar (default 1.2). */
  headLossAtBase?: number;
  /** Relative flow noise (default 0.03). */
  noise?: number;
}

export interface SensorSample {
  /** Reading index (minutes since startMs). */
  minute: number;
  timeMs: number;
  metrics: { flow: number; pressure: number } & Record<string, number>;
}

const MINUTE_MS = 60_000;
const gauss = (x: number, mu: number, sigma: number) => Math.exp(-0.5 * ((x - mu) / sigma) ** 2);

/** Relative demand (around 1) at a UTC time: night trough, morning and evening peaks. */
export function demandFactor(timeMs: number): number {
  const d = new Date(timeMs);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  // People get up later at weekends and use a little less water overall.
  const morning = weekend ? 9 : 7.5;
  const level = weekend ? 0.92 : 1;
  const shape = 0.45 + 0.75 * gauss(hour, morning, 1.5) + 0.6 * gauss(hour, 19.5, 2) + 0.25 * gauss(hour, 13, 2.5);
  return level * shape;
}

export class SyntheticSensor {
  readonly startMs: number;
  private readonly rng: Rng;
  private readonly baseFlow: number;
  private readonly staticPressure: number;
  private readonly lossCoeff: number;
  private readonly noise: number;
  private readonly anomalies: AnomalySpec[] = [];
  private readonly onsetValues = new Map<AnomalySpec, number>();
  /** Slowly wandering multiplicative offset (AR(1)), so noise is not white minute to minute. */
  private wander = 0;
  private minute = 0;

  constructor(o: SyntheticSensorOptions) {
    if (!Number.isFinite(o.startMs)) throw new RangeError(`startMs must be a finite time, got ${o.startMs}`);
    this.startMs = o.startMs;
    this.rng = new Rng(o.seed ?? 1);
    this.baseFlow = o.baseFlow ?? 120;
    this.staticPressure = o.staticPressure ?? 5;
    this.lossCoeff = (o.headLossAtBase ?? 1.2) / (this.baseFlow * this.baseFlow);
    this.noise = o.noise ?? 0.03;
  }

  injectAnomaly(a: AnomalySpec): void {
    if (!ANOMALY_KINDS.includes(a.kind)) throw new RangeError(`unknown anomaly kind ${JSON.stringify(a.kind)}`);
    if (!(a.durationMin >= 1) || !(a.atMinute >= 0)) throw new RangeError('anomaly needs atMinute >= 0 and durationMin >= 1');
    if (!Number.isFinite(a.magnitude)) throw new RangeError('anomaly magnitude must be finite');
    this.anomalies.push({ ...a });
  }

  /** Anomalies active at a reading index (ground truth for evaluation). */
  activeAnomalies(minute: number): AnomalySpec[] {
    return this.anomalies.filter((a) => isActive(a, minute));
  }

  next(): SensorSample {
    const minute = this.minute++;
    const timeMs = this.startMs + minute * MINUTE_MS;
    this.wander = 0.97 * this.wander + 0.243 * this.noise * this.rng.normal(); // stationary std = noise
    const flow = Math.max(0, this.baseFlow * demandFactor(timeMs) * (1 + this.wander + 0.5 * this.noise * this.rng.normal()));
    const pressure = this.staticPressure - this.lossCoeff * flow * flow + 0.02 * this.rng.normal();
    const metrics: Record<string, number> = { flow, pressure };
    for (const a of this.anomalies) {
      if (!(a.metric in metrics) || !isActive(a, minute)) continue;
      if (minute === a.atMinute) this.onsetValues.set(a, metrics[a.metric]);
      metrics[a.metric] = applyAnomaly(a, minute, metrics[a.metric], this.onsetValues.get(a) ?? metrics[a.metric]);
    }
    return { minute, timeMs, metrics: metrics as SensorSample['metrics'] };
  }
}
