import { checkContinuity, type EegChunk } from './index';

const base: EegChunk = { deviceId: 'd', seq: 10, t0Us: 0, fsHz: 160, channels: ['C3', 'C4'], unit: 'uV', nSamples: 1, samples: new Float32Array(2) };
const layout = { fsHz: 160, channels: ['C3', 'C4'], lastSeq: 9 };

describe('checkContinuity', () => {
  it('accepts the next chunk of a registered device and any chunk of a new one', () => {
    expect(checkContinuity(layout, base, false)).toBeNull();
    expect(checkContinuity(undefined, base, false)).toBeNull();
  });
  it('names a sampling-rate change', () => {
    expect(checkContinuity(layout, { ...base, fsHz: 250 }, false)?.fault).toBe('sample_rate_change');
  });
  it('names a changed channel layout', () => {
    expect(checkContinuity(layout, { ...base, channels: ['C3', 'Cz'] }, false)?.fault).toBe('channel_count');
    expect(checkContinuity(layout, { ...base, channels: ['C3'], samples: new Float32Array(1) }, false)?.fault).toBe('channel_count');
  });
  it('refuses a fresh seq that goes backwards but lets a redelivery through to the idempotent write', () => {
    expect(checkContinuity(layout, { ...base, seq: 9 }, false)?.fault).toBe('seq_regression');
    expect(checkContinuity(layout, { ...base, seq: 9 }, true)).toBeNull();
  });
});
