// Pink (1/f) noise by Paul Kellet's "refined" filter bank: six leaky integrators plus a direct
// path approximate a -3 dB/octave slope over the whole band with a few multiplies per sample,
// which keeps a 64-channel headset cheap in real time.
const POLES = [0.99886, 0.99332, 0.969, 0.8665, 0.55, -0.7616];
const GAINS = [0.0555179, 0.0750759, 0.153852, 0.3104856, 0.5329522, -0.016898];
const DIRECT = 0.5362;
const DELAYED = 0.115926;

/** Output standard deviation for unit-variance white input (exact, from the filter's covariances). */
function pinkStd(): number {
  let v = DIRECT * DIRECT + DELAYED * DELAYED;
  for (let i = 0; i < POLES.length; i++) {
    for (let j = 0; j < POLES.length; j++) v += (GAINS[i] * GAINS[j]) / (1 - POLES[i] * POLES[j]);
    v += 2 * DIRECT * GAINS[i] + 2 * DELAYED * GAINS[i] * POLES[i];
  }
  return Math.sqrt(v);
}
const NORM = 1 / pinkStd();

/** One channel of unit-variance pink noise; feed it white normal draws. */
export class PinkFilter {
  private readonly b = new Float64Array(POLES.length);
  private prevWhite = 0;

  step(white: number): number {
    let sum = DIRECT * white + DELAYED * this.prevWhite;
    for (let i = 0; i < POLES.length; i++) {
      this.b[i] = POLES[i] * this.b[i] + GAINS[i] * white;
      sum += this.b[i];
    }
    this.prevWhite = white;
    return sum * NORM;
  }
}
