import { MinMaxDecimator } from './minmax-decimator';

function signal(nCh: number, n: number): Float64Array {
  const x = new Float64Array(nCh * n);
  for (let c = 0; c < nCh; c++) for (let i = 0; i < n; i++) x[c * n + i] = Math.sin(i / 5 + c) * 10 + (i === 137 ? 500 : 0);
  return x;
}

function slice(x: Float64Array, nCh: number, n: number, from: number, to: number): Float64Array {
  const out = new Float64Array(nCh * (to - from));
  for (let c = 0; c < nCh; c++) out.set(x.subarray(c * n + from, c * n + to), c * (to - from));
  return out;
}

describe('MinMaxDecimator', () => {
  it('keeps a one-sample spike that subsampling would drop', () => {
    const d = new MinMaxDecimator(2, 4);
    const out = d.push(signal(2, 400), 400);
    expect(out.nBuckets).toBe(100);
    expect(out.min).toHaveLength(200);
    expect(Math.max(...out.max.subarray(0, 100))).toBeGreaterThan(400);
    expect(Math.max(...out.max.subarray(100, 200))).toBeGreaterThan(400);
  });

  it('gives the same buckets whether the signal arrives whole or in odd chunks', () => {
    const n = 401;
    const x = signal(3, n);
    const whole = new MinMaxDecimator(3, 3).push(x, n);
    const chunked = new MinMaxDecimator(3, 3);
    const mins: number[][] = [[], [], []];
    const wholeMins: number[][] = [0, 1, 2].map((c) => Array.from(whole.min.subarray(c * whole.nBuckets, (c + 1) * whole.nBuckets)));
    let first = -1;
    for (const [a, b] of [[0, 7], [7, 8], [8, 150], [150, 401]]) {
      const out = chunked.push(slice(x, 3, n, a, b), b - a);
      if (first < 0 && out.nBuckets) first = out.firstSample;
      for (let c = 0; c < 3; c++) mins[c].push(...out.min.subarray(c * out.nBuckets, (c + 1) * out.nBuckets));
    }
    expect(whole.nBuckets).toBe(133);
    expect(mins).toEqual(wholeMins);
    expect(first).toBe(0);
  });

  it('chooses a bucket size that caps points per second', () => {
    expect(MinMaxDecimator.forRate(64, 160).samplesPerBucket).toBe(2);
    expect(MinMaxDecimator.forRate(8, 1000).samplesPerBucket).toBe(10);
  });
});
