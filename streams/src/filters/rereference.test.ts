import { BandPassFilter, FilterChain, NotchFilter, Rereference } from './index';

describe('Rereference', () => {
  const chunk = () => [Float64Array.of(1, 2, 3), Float64Array.of(3, 4, 5), Float64Array.of(5, 0, 1), Float64Array.of(100, 100, 100)];

  it('common average reference makes the referenced channels sum to zero', () => {
    const out = new Rereference({ nChannels: 4, exclude: [3] }).process(chunk());
    expect(Array.from(out[0])).toEqual([-2, 0, 0]);
    expect(Array.from(out[2])).toEqual([2, -2, -2]);
    expect(Array.from(out[3])).toEqual([100, 100, 100]); // excluded: untouched
    for (let i = 0; i < 3; i++) expect(out[0][i] + out[1][i] + out[2][i]).toBeCloseTo(0, 12);
  });

  it('references to chosen channels (e.g. linked mastoids)', () => {
    const out = new Rereference({ nChannels: 4, referenceChannels: [0, 1] }).process(chunk());
    expect(Array.from(out[0])).toEqual([-1, -1, -1]);
    expect(Array.from(out[1])).toEqual([1, 1, 1]);
    expect(Array.from(out[3])).toEqual([98, 97, 96]);
  });

  it('slots into a FilterChain before notch and band-pass', () => {
    const chain = new FilterChain([
      new Rereference({ nChannels: 4 }),
      new NotchFilter({ freqHz: 50, fsHz: 160, nChannels: 4 }),
      new BandPassFilter({ lowHz: 8, highHz: 30, fsHz: 160, nChannels: 4 }),
    ]);
    const y = chain.process(chunk());
    const manual = new BandPassFilter({ lowHz: 8, highHz: 30, fsHz: 160, nChannels: 4 }).process(
      new NotchFilter({ freqHz: 50, fsHz: 160, nChannels: 4 }).process(new Rereference({ nChannels: 4 }).process(chunk())),
    );
    y.forEach((ch, c) => expect(Array.from(ch)).toEqual(Array.from(manual[c])));
    // The common 100-ish offset of channel 3 is gone from the referenced input of the filters.
    expect(y[3][0]).not.toBe(new BandPassFilter({ lowHz: 8, highHz: 30, fsHz: 160, nChannels: 1 }).process([Float64Array.of(100)])[0][0]);
    expect(() => new Rereference({ nChannels: 2, referenceChannels: [5] })).toThrow(/out of range/);
  });
});
