import { parseArgs, UsageError } from './args';
import { parseAnomalySpec } from './anomaly-spec';
import { parseCommandLine, parseSpeed } from './commands';

const specs = { id: { type: 'string' }, n: { type: 'number' }, flag: { type: 'boolean' }, list: { type: 'list' } } as const;

describe('parseArgs', () => {
  it('reads --k v, --k=v, flags and repeated lists', () => {
    const r = parseArgs(['--id', 'hs-1', '--n=3', '--flag', '--list', 'a,b', 'c', '--list=d'], specs);
    expect(r.values).toEqual({ id: 'hs-1', n: 3, flag: true, list: ['a', 'b', 'c', 'd'] });
  });
  it('rejects unknown options, missing values and non-numbers with the reason', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(/unknown option --nope.*--id/);
    expect(() => parseArgs(['--id'], specs)).toThrow(/--id needs a value/);
    expect(() => parseArgs(['--n', 'x'], specs)).toThrow(UsageError);
  });
});

describe('parseAnomalySpec', () => {
  it('parses kind[:metric]@at:duration[:magnitude]', () => {
    expect(parseAnomalySpec('spike@120:30:5')).toEqual({ kind: 'spike', metric: 'flow', atMinute: 120, durationMin: 30, magnitude: 5 });
    expect(parseAnomalySpec('drop:pressure@10:2:0.5')).toEqual({ kind: 'drop', metric: 'pressure', atMinute: 10, durationMin: 2, magnitude: 0.5 });
    expect(parseAnomalySpec('stuck@60:15')).toMatchObject({ kind: 'stuck', magnitude: 0 });
  });
  it('rejects bad specs', () => {
    expect(() => parseAnomalySpec('boom@1:2:3')).toThrow(/kind must be one of/);
    expect(() => parseAnomalySpec('spike@1')).toThrow(/expected kind/);
    expect(() => parseAnomalySpec('drift@1:0:3')).toThrow(/at least 1 minute/);
  });
});

describe('parseCommandLine', () => {
  it('builds eeg options', () => {
    const c = parseCommandLine(['eeg', '--id', 'hs-1', '--channels', '8', '--paradigm', '--seed', '4', '--encoding', 'json', '--classes', 'left,right,feet'], { NATS_URL: 'nats://x:1' });
    expect(c).toMatchObject({ command: 'eeg', natsUrl: 'nats://x:1', options: { id: 'hs-1', channels: 8, paradigm: true, seed: 4, encoding: 'json', classes: ['left', 'right', 'feet'] } });
  });
  it('builds sensor options with anomalies and a start time', () => {
    const c = parseCommandLine(['sensor', '--id', 'pump-1', '--speed', '600', '--anomaly', 'spike@120:30:5', 'stuck:pressure@10:5', '--start', '2026-11-25T06:00:00Z', '--count', '10']);
    expect(c).toMatchObject({ command: 'sensor', natsUrl: 'nats://127.0.0.1:4222', options: { speed: 600, count: 10, startMs: Date.parse('2026-11-25T06:00:00Z') } });
    if (c.command === 'sensor') expect(c.options.anomalies!.map((a) => a.kind)).toEqual(['spike', 'stuck']);
  });
  it('builds replay options: speed max, default and overridden annotation maps, delimiters', () => {
    const e = parseCommandLine(['replay-edf', '--file', 'x/S001R06.edf', '--id', 'hs-1', '--speed', 'max', '--map', 'T1=text']);
    expect(e).toMatchObject({ options: { speed: Infinity, map: { T0: 'cue_rest', T1: 'text', T2: 'cue_feet' } } });
    const c = parseCommandLine(['replay-csv', '--file', 'a.csv', '--id', 'p', '--delimiter', ';', '--metrics', 'value']);
    expect(c).toMatchObject({ options: { delimiter: ';', metrics: ['value'] } });
    expect(parseSpeed('10')).toBe(10);
  });
  it('reports usage problems clearly', () => {
    expect(() => parseCommandLine(['eeg'])).toThrow(/--id is required/);
    expect(() => parseCommandLine(['eeg', '--id', 'a.b'])).toThrow(/--id "a.b"/);
    expect(() => parseCommandLine(['fly'])).toThrow(/unknown command "fly"/);
    expect(() => parseCommandLine(['replay-edf', '--id', 'x'])).toThrow(/--file is required/);
    expect(() => parseCommandLine(['replay-edf', '--id', 'x', '--file', 'f.edf', '--speed', '0'])).toThrow(/--speed/);
    expect(() => parseCommandLine(['replay-edf', '--id', 'x', '--file', 'f.edf', '--map', 'T1=jump'])).toThrow(/code must be one of/);
    expect(parseCommandLine(['sensor', '--help'])).toMatchObject({ command: 'help' });
  });
});
