import * as fs from 'node:fs';
import * as path from 'node:path';
import { EdfFormatError, readEdf, findSignal, cleanLabel } from './index';

const FIXTURES = path.resolve(__dirname, '../../../tests/fixtures/eeg');
const SHARED = '/work/shared/data/eeg/eegmmidb';
const load = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

// BCI2000 channel order from the dataset's documentation.
const EEGMMIDB_LABELS = (
  'Fc5 Fc3 Fc1 Fcz Fc2 Fc4 Fc6 C5 C3 C1 Cz C2 C4 C6 Cp5 Cp3 Cp1 Cpz Cp2 Cp4 Cp6 ' +
  'Fp1 Fpz Fp2 Af7 Af3 Afz Af4 Af8 F7 F5 F3 F1 Fz F2 F4 F6 F8 Ft7 Ft8 T7 T8 T9 ' +
  'T10 Tp7 Tp8 P7 P5 P3 P1 Pz P2 P4 P6 P8 Po7 Po3 Poz Po4 Po8 O1 Oz O2 Iz'
).split(' ');

/** Builds a small EDF(+) file for edge cases the real fixtures do not cover. */
function buildEdf(opts: {
  reserved?: string;
  recordDurationS: number;
  signals: { label: string; spr: number; pmin: number; pmax: number; dmin: number; dmax: number; dim?: string }[];
  records: (number[] | string)[][]; // per record, per signal: int16 samples or TAL text
  numRecordsField?: number;
}): Uint8Array {
  const pad = (s: string, n: number) => (s + ' '.repeat(n)).slice(0, n);
  const ns = opts.signals.length;
  let h = pad('0', 8) + pad('X M 01-JAN-1990 Test', 80) + pad('Startdate 02-MAR-2021 X X test', 80);
  h += '02.03.21' + '13.04.05' + pad(String(256 * (ns + 1)), 8) + pad(opts.reserved ?? '', 44);
  h += pad(String(opts.numRecordsField ?? opts.records.length), 8) + pad(String(opts.recordDurationS), 8) + pad(String(ns), 4);
  const s = opts.signals;
  h += s.map((x) => pad(x.label, 16)).join('') + s.map(() => pad('AgAgCl', 80)).join('');
  h += s.map((x) => pad(x.dim ?? 'uV', 8)).join('');
  for (const k of ['pmin', 'pmax', 'dmin', 'dmax'] as const) h += s.map((x) => pad(String(x[k]), 8)).join('');
  h += s.map(() => pad('HP:0.1Hz', 80)).join('') + s.map((x) => pad(String(x.spr), 8)).join('') + s.map(() => pad('', 32)).join('');
  const parts: Uint8Array[] = [Uint8Array.from(Buffer.from(h, 'latin1'))];
  for (const rec of opts.records) {
    rec.forEach((sig, i) => {
      const b = new Uint8Array(s[i].spr * 2);
      if (typeof sig === 'string') b.set(Buffer.from(sig, 'utf-8'));
      else sig.forEach((v, j) => new DataView(b.buffer).setInt16(j * 2, v, true));
      parts.push(b);
    });
  }
  return Uint8Array.from(Buffer.concat(parts));
}

describe('readEdf on PhysioNet EEGMMIDB S001R04', () => {
  const bytes = load('S001R04.edf');
  const rec = readEdf(bytes);

  it('parses the fixed header', () => {
    expect(rec.header.variant).toBe('EDF+C');
    expect(rec.header.numSignals).toBe(65);
    expect(rec.header.numRecords).toBe(125);
    expect(rec.header.recordDurationS).toBe(1);
    expect(rec.header.startDate.toISOString()).toBe('2009-08-12T16:15:00.000Z');
    expect(rec.header.startTimeUs).toBe(Date.UTC(2009, 7, 12, 16, 15, 0) * 1000);
    expect(rec.warnings).toEqual([]);
  });

  it('returns 64 EEG signals with clean labels, 160 Hz, uV', () => {
    expect(rec.signals.map((s) => s.label)).toEqual(EEGMMIDB_LABELS);
    expect(rec.signals[8].rawLabel).toBe('C3..');
    for (const s of rec.signals) {
      expect(s.fsHz).toBe(160);
      expect(s.physicalDim).toBe('uV');
      expect(s.samples.length).toBe(125 * 160);
    }
    expect(rec.header.signalHeaders[64].isAnnotation).toBe(true);
    expect(findSignal(rec, 'cz')).toBe(rec.signals[10]);
    expect(findSignal(rec, 'Cz..')).toBe(rec.signals[10]);
  });

  it('scales samples: 1 digital unit = 1 uV, matching the raw int16 in the file', () => {
    // Cz (signal 10) sample 1000 lives in record 6, sample 40 of that record.
    const recordBytes = 64 * 320 + 160;
    const at = 16896 + 6 * recordBytes + 10 * 320 + 40 * 2;
    const raw = bytes.readInt16LE(at);
    expect(rec.signals[10].samples[1000]).toBeCloseTo(raw, 9);
    const cz = rec.signals[10].samples;
    let nonInteger = 0;
    for (const v of cz) if (Math.abs(v - Math.round(v)) > 1e-9) nonInteger++;
    expect(nonInteger).toBe(0);
    // Real EEG, not a constant: some spread.
    expect(Math.max(...cz) - Math.min(...cz)).toBeGreaterThan(20);
  });

  it('parses 30 annotations alternating rest and task, each ~4.1-4.2 s', () => {
    const a = rec.annotations;
    expect(a).toHaveLength(30);
    expect(a[0]).toEqual({ onsetS: 0, durationS: 4.2, text: 'T0' });
    a.forEach((x, i) => {
      if (i % 2 === 0) expect(x.text).toBe('T0');
      else expect(['T1', 'T2']).toContain(x.text);
      expect(x.durationS).toBeGreaterThanOrEqual(4.1);
      expect(x.durationS).toBeLessThanOrEqual(4.2);
      if (i > 0) expect(x.onsetS).toBeCloseTo(a[i - 1].onsetS + a[i - 1].durationS, 6);
    });
    expect(rec.recordOnsetsS[0]).toBe(0);
    expect(rec.recordOnsetsS[124]).toBe(124);
  });

  it('reads the other committed runs (R08, R12)', () => {
    for (const name of ['S001R08.edf', 'S001R12.edf']) {
      const r = readEdf(load(name));
      expect(r.signals).toHaveLength(64);
      expect(r.annotations).toHaveLength(30);
      expect(new Set(r.annotations.map((x) => x.text))).toEqual(new Set(['T0', 'T1', 'T2']));
    }
  });

  it('rejects a truncated file with a clear error, or keeps complete records on request', () => {
    const cut = bytes.subarray(0, 16896 + 10 * 20640 + 100);
    expect(() => readEdf(cut)).toThrow(EdfFormatError);
    expect(() => readEdf(cut)).toThrow(/truncated file: header declares 125 data records.*10 complete records/);
    const partial = readEdf(cut, { allowTruncated: true });
    expect(partial.header.numRecords).toBe(10);
    expect(partial.signals[0].samples.length).toBe(1600);
    expect(partial.warnings[0]).toMatch(/truncated/);
    expect(Array.from(partial.signals[3].samples)).toEqual(Array.from(rec.signals[3].samples.subarray(0, 1600)));
    expect(() => readEdf(bytes.subarray(0, 100))).toThrow(/fixed EDF header alone is 256/);
    expect(() => readEdf(bytes.subarray(0, 5000))).toThrow(/header needs 16896/);
  });

  it('rejects non-EDF bytes and a corrupt header', () => {
    const notEdf = Uint8Array.from(bytes.subarray(0, 17000));
    notEdf.set(Buffer.from('PK\x03\x04    '), 0);
    expect(() => readEdf(notEdf)).toThrow(/not an EDF file/);
    const badNs = Uint8Array.from(bytes);
    badNs.set(Buffer.from('64  '), 252);
    expect(() => readEdf(badNs)).toThrow(/header bytes field says 16896, but 64 signals need 16640/);
    const badSpr = Uint8Array.from(bytes);
    badSpr.set(Buffer.from('abc     '), 256 + 65 * 216);
    expect(() => readEdf(badSpr)).toThrow(/samples per record is not a valid integer/);
  });
});

describe('readEdf on synthetic files', () => {
  const eeg = { label: 'EEG Fpz-Cz', spr: 4, pmin: -100, pmax: 100, dmin: -2048, dmax: 2047 };
  const ann = { label: 'EDF Annotations', spr: 30, pmin: -1, pmax: 1, dmin: -32768, dmax: 32767, dim: '' };

  it('applies non-unit physical scaling and mixed sampling rates', () => {
    const slow = { label: 'Temp', spr: 1, pmin: 30, pmax: 40, dmin: 0, dmax: 1000, dim: 'degC' };
    const bytes = buildEdf({ recordDurationS: 0.5, signals: [eeg, slow], records: [[[-2048, 2047, 0, 1], [500]], [[10, 20, 30, 40], [1000]]] });
    const r = readEdf(bytes);
    expect(r.header.variant).toBe('EDF');
    expect(r.header.startDate.toISOString()).toBe('2021-03-02T13:04:05.000Z');
    expect(r.signals.map((s) => s.fsHz)).toEqual([8, 2]);
    const g = 200 / 4095;
    const expected = [-100, 100, 100 - 2047 * g, 100 - 2046 * g];
    expected.forEach((v, i) => expect(r.signals[0].samples[i]).toBeCloseTo(v, 10));
    expect(Array.from(r.signals[1].samples)).toEqual([35, 40]);
    expect(r.annotations).toEqual([]);
  });

  it('parses EDF+D timekeeping, several texts per TAL, missing durations and negative onsets', () => {
    const bytes = buildEdf({
      reserved: 'EDF+D',
      recordDurationS: 1,
      signals: [eeg, ann],
      records: [
        [[1, 2, 3, 4], '+0\x14\x14\x00+0.5\x151.25\x14A\x14B\x14\x00'],
        [[5, 6, 7, 8], '+10\x14\x14Gap\x14\x00-0.25\x14pre\x14\x00'],
      ],
    });
    const r = readEdf(bytes);
    expect(r.header.variant).toBe('EDF+D');
    expect(Array.from(r.recordOnsetsS)).toEqual([0, 10]);
    expect(r.annotations).toEqual([
      { onsetS: -0.25, durationS: 0, text: 'pre' },
      { onsetS: 0.5, durationS: 1.25, text: 'A' },
      { onsetS: 0.5, durationS: 1.25, text: 'B' },
      { onsetS: 10, durationS: 0, text: 'Gap' },
    ]);
    expect(r.signals).toHaveLength(1);
  });

  it('warns when an EDF+C file has a gap, and handles numRecords = -1', () => {
    const bytes = buildEdf({
      reserved: 'EDF+C',
      recordDurationS: 1,
      numRecordsField: -1,
      signals: [eeg, ann],
      records: [[[0, 0, 0, 0], '+0\x14\x14\x00'], [[0, 0, 0, 0], '+3\x14\x14\x00']],
    });
    const r = readEdf(bytes);
    expect(r.header.numRecords).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/derived 2/);
    expect(r.warnings.join('\n')).toMatch(/record 1 starts at 3 s, expected 1 s/);
  });

  it('rejects malformed TALs', () => {
    const mk = (tal: string) =>
      buildEdf({ reserved: 'EDF+C', recordDurationS: 1, signals: [eeg, ann], records: [[[0, 0, 0, 0], tal]] });
    expect(() => readEdf(mk('+0\x14\x14\x00+abc\x14X\x14\x00'))).toThrow(/malformed TAL time stamp/);
    expect(() => readEdf(mk('+0\x14\x14\x00+1\x15-2\x14X\x14\x00'))).toThrow(/malformed TAL duration/);
    expect(() => readEdf(mk('+0\x14X\x14\x00'))).toThrow(/not a timekeeping TAL/);
    expect(() => readEdf(mk('+0\x14\x14' + 'x'.repeat(56)))).toThrow(/not terminated by a 0x00/);
  });

  it('rejects invalid digital ranges', () => {
    const bad = { ...eeg, dmin: 100, dmax: 100 };
    expect(() => readEdf(buildEdf({ recordDurationS: 1, signals: [bad], records: [[[0, 0, 0, 0]]] }))).toThrow(/digital maximum 100 <= minimum 100/);
  });

  it('cleans PhysioNet labels', () => {
    expect(cleanLabel('C3..            ')).toBe('C3');
    expect(cleanLabel('Fc5.')).toBe('Fc5');
    expect(cleanLabel('EEG Fpz-Cz      ')).toBe('EEG Fpz-Cz');
  });
});

// Extra coverage when the shared dataset is mounted; the committed fixtures above are the contract.
(fs.existsSync(SHARED) ? describe : describe.skip)('readEdf on every shared EEGMMIDB file', () => {
  it('reads 64 channels and 30 annotations per run', () => {
    const subjects = fs.readdirSync(SHARED).filter((d) => /^S\d{3}$/.test(d));
    let n = 0;
    for (const s of subjects) {
      for (const f of fs.readdirSync(path.join(SHARED, s)).filter((x) => x.endsWith('.edf'))) {
        const r = readEdf(fs.readFileSync(path.join(SHARED, s, f)));
        expect(r.signals).toHaveLength(64);
        expect(r.annotations).toHaveLength(30);
        expect(r.signals[0].samples.length).toBe(r.header.numRecords * 160);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(45);
  });
});
