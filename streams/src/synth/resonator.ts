// A narrow-band rhythm (alpha, mu, beta) as white noise through a two-pole resonator. Unlike a
// pure sine, its amplitude and phase wander like real EEG rhythms (waxing and waning spindles).
export class Resonator {
  private readonly a1: number;
  private readonly a2: number;
  private readonly norm: number;
  private y1 = 0;
  private y2 = 0;

  /** Peak at freqHz with roughly bandwidthHz (-3 dB) width; output has unit variance. */
  constructor(freqHz: number, bandwidthHz: number, fsHz: number) {
    const r = Math.exp((-Math.PI * bandwidthHz) / fsHz);
    this.a1 = 2 * r * Math.cos((2 * Math.PI * freqHz) / fsHz);
    this.a2 = -r * r;
    // Stationary variance of an AR(2) process driven by unit-variance noise.
    const a1 = this.a1;
    const a2 = this.a2;
    const variance = (1 - a2) / ((1 + a2) * ((1 - a2) * (1 - a2) - a1 * a1));
    this.norm = 1 / Math.sqrt(variance);
  }

  step(white: number): number {
    const y = this.a1 * this.y1 + this.a2 * this.y2 + white;
    this.y2 = this.y1;
    this.y1 = y;
    return y * this.norm;
  }
}
