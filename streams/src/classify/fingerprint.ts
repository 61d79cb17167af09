// 64-bit FNV-1a over training epochs and labels, in pure TS (streams must not depend on node:crypto).
// Not cryptographic: it identifies which data an artefact was trained on, it does not authenticate it.
import type { Epoch, Label } from './types';

export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  updateBytes(bytes: Uint8Array): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < bytes.length; i++) {
      lo = (lo ^ bytes[i]) >>> 0;
      // h *= 0x100000001b3 (mod 2^64) = h·0x1b3 + (h << 40), in 32-bit halves
      const a = lo * 0x1b3;
      const carry = Math.floor(a / 4294967296);
      hi = (Math.imul(hi, 0x1b3) + (lo << 8) + carry) >>> 0;
      lo = a >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  updateString(s: string): this {
    return this.updateBytes(new TextEncoder().encode(s));
  }

  updateFloat64(a: Float64Array): this {
    // Little-endian byte order is what every supported platform uses.
    return this.updateBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

export interface TrainingFingerprint {
  algorithm: 'fnv1a-64';
  hash: string;
  nEpochs: number;
  nChannels: number;
  nSamples: number;
  classCounts: Record<string, number>;
}

export function fingerprintTraining(epochs: readonly Epoch[], labels: readonly Label[]): TrainingFingerprint {
  const h = new Fnv1a64();
  const { nChannels, nSamples } = epochs[0];
  h.updateString(`${epochs.length}x${nChannels}x${nSamples};`);
  epochs.forEach((e, i) => {
    h.updateFloat64(e.data);
    h.updateString(`|${labels[i]}`);
  });
  const classCounts: Record<string, number> = {};
  for (const l of labels) classCounts[l] = (classCounts[l] ?? 0) + 1;
  return { algorithm: 'fnv1a-64', hash: h.hex(), nEpochs: epochs.length, nChannels, nSamples, classCounts };
}
