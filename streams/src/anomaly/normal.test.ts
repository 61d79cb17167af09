import { erf, erfc, normalCdf, twoSidedTail, upperTail } from './normal';

// Reference values from high-precision tables (mpmath / CPython math.erfc).
const cases: Array<[number, number]> = [
  [0, 1],
  [0.5, 0.47950012218695346232],
  [1, 0.15729920705028513066],
  [1.9999, 0.004679802092970608], // just below the series/continued-fraction switch
  [2, 0.0046777349810472658379],
  [3, 2.2090496998585441373e-5],
  [5, 1.5374597944280348502e-12],
  [10, 2.0884875837625447570e-45],
  [20, 5.3958656116079009289e-176],
];

describe('erfc', () => {
  it.each(cases)('erfc(%p) matches reference to ~1e-13 relative', (x, ref) => {
    expect(Math.abs(erfc(x) - ref) / ref).toBeLessThan(1e-13);
  });
  it('reflects for negative arguments and saturates', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513066, 15);
    expect(erfc(30)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(0.5)).toBeCloseTo(0.52049987781304653768, 15);
  });
  it('is continuous at the method switch', () => {
    expect(Math.abs(erfc(2 - 1e-12) - erfc(2)) / erfc(2)).toBeLessThan(1e-9);
  });
});

describe('normal tails', () => {
  it('Φ and Q at known quantiles', () => {
    expect(normalCdf(1.6448536269514722)).toBeCloseTo(0.95, 14);
    expect(normalCdf(2.3263478740408408)).toBeCloseTo(0.99, 14);
    expect(upperTail(8)).toBeCloseTo(6.2209605742717841e-16, 28);
    expect(Math.abs(upperTail(8) - 6.2209605742717841e-16) / 6.2209605742717841e-16).toBeLessThan(1e-12);
    expect(twoSidedTail(-1.959963984540054)).toBeCloseTo(0.05, 14);
  });
});
