import { csvToSeries, detectDelimiter, metricName, parseCsv, parseCsvTime, splitCsvLine } from './csv';

describe('CSV parsing', () => {
  it('splits quoted fields with escaped quotes and delimiters inside', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""", d ', ',')).toEqual(['a', 'b,c', 'say "hi"', 'd']);
  });
  it('detects the delimiter from the header', () => {
    expect(detectDelimiter('timestamp,value')).toBe(',');
    expect(detectDelimiter('datetime;Accelerometer1RMS;Volume Flow RateRMS')).toBe(';');
    expect(detectDelimiter('t\ta\tb')).toBe('\t');
  });
  it('parses times as UTC unless a zone is given', () => {
    expect(parseCsvTime('2015-02-26 21:42:53')).toBe(Date.parse('2015-02-26T21:42:53Z'));
    expect(parseCsvTime('2015-02-26T21:42:53')).toBe(Date.parse('2015-02-26T21:42:53Z'));
    expect(parseCsvTime('2015-02-26T21:42:53+01:00')).toBe(Date.parse('2015-02-26T20:42:53Z'));
    expect(parseCsvTime('2020-03-09 10:14:33.5')).toBe(Date.parse('2020-03-09T10:14:33.500Z'));
    expect(parseCsvTime('1424986973')).toBe(1424986973000);
    expect(parseCsvTime('yesterday')).toBeNaN();
  });
  it('makes contract-valid metric names', () => {
    expect(metricName('Volume Flow RateRMS')).toBe('Volume_Flow_RateRMS');
    expect(metricName('1st value')).toBe('m_1st_value');
  });
  it('reads a NAB file (timestamp,value)', () => {
    const s = csvToSeries(parseCsv('timestamp,value\n2015-02-26 21:42:53,35\n2015-02-26 21:47:53,41\n'));
    expect(s.timeCol).toBe('timestamp');
    expect(s.points).toEqual([
      { timeMs: Date.parse('2015-02-26T21:42:53Z'), metrics: { value: 35 } },
      { timeMs: Date.parse('2015-02-26T21:47:53Z'), metrics: { value: 41 } },
    ]);
  });
  it('reads a SKAB file (semicolons, datetime column, spaces in names) and selects metrics', () => {
    const text = 'datetime;Current;Pressure;Volume Flow RateRMS;anomaly\r\n2020-03-09 10:14:33;1.33;0.05;32.0;0.0\r\n2020-03-09 10:14:34;1.29;;31.0;1.0\r\n';
    const all = csvToSeries(parseCsv(text));
    expect(all.metricColumns.map((m) => m.metric)).toEqual(['Current', 'Pressure', 'Volume_Flow_RateRMS', 'anomaly']);
    expect(all.points[1].metrics).toEqual({ Current: 1.29, Volume_Flow_RateRMS: 31, anomaly: 1 });
    const some = csvToSeries(parseCsv(text, ';'), { metrics: ['Volume Flow RateRMS', 'Current'] });
    expect(some.points[0].metrics).toEqual({ Volume_Flow_RateRMS: 32, Current: 1.33 });
  });
  it('skips unreadable rows and counts them; unknown columns are errors', () => {
    const s = csvToSeries(parseCsv('time,v\nnope,1\n2020-01-01 00:00:00,x\n2020-01-01 00:01:00,2'));
    expect(s.points).toHaveLength(1);
    expect(s.skipped).toBe(2);
    expect(s.problems[0]).toMatch(/line 2: unreadable time/);
    expect(() => csvToSeries(parseCsv('time,v\n2020-01-01,1'), { timeCol: 'ts' })).toThrow(/no time column "ts"/);
    expect(() => csvToSeries(parseCsv('time,v\n2020-01-01,1'), { metrics: ['w'] })).toThrow(/no column "w"/);
  });
});
