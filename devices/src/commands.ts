// The bci-device commands: their options, help text and the translation of parsed arguments
// into runner options. Pure, so argument handling is tested without NATS.
import { isValidDeviceId } from '@bci/shared';
import { MI_CUES, type MiCue } from '@bci/streams/synth';
import { parseArgs, UsageError, type OptSpecs, type OptValue } from './args';
import { parseAnomalySpec } from './anomaly-spec';
import { defaultAnnotationMap, parseAnnotationMap } from './annotations';
import type { SyntheticEegRunOptions } from './run-eeg';
import type { SyntheticSensorRunOptions } from './run-sensor';
import type { ReplayEdfOptions } from './replay-edf';
import type { ReplayCsvOptions } from './replay-csv';
import { basename } from 'node:path';

export const COMMON_OPTIONS: OptSpecs = {
  nats: { type: 'string', help: 'NATS server URL (default $NATS_URL or nats://127.0.0.1:4222)' },
  'status-s': { type: 'number', help: 'seconds between status lines (default 5; 0 = off)' },
  help: { type: 'boolean', help: 'show this help' },
};

export const COMMAND_OPTIONS = {
  eeg: {
    id: { type: 'string', help: 'device id (required)' },
    channels: { type: 'string', help: '64 (EEGMMIDB montage, default), 8, or comma-separated names' },
    fs: { type: 'number', help: 'sampling rate in Hz (default 160)' },
    'chunk-ms': { type: 'number', help: 'chunk length in ms (default 100)' },
    encoding: { type: 'string', help: 'binary (default) or json' },
    paradigm: { type: 'boolean', help: 'run a motor-imagery cue paradigm: cue markers + ERD' },
    classes: { type: 'list', help: 'imagery classes of the paradigm (default left,right; also feet)' },
    seed: { type: 'number', help: 'random seed (default 1)' },
    'duration-s': { type: 'number', help: 'stop after this much device time' },
    speed: { type: 'number', help: 'wall-clock speed-up (default 1)' },
    'line-noise-uv': { type: 'number', help: '50 Hz mains interference amplitude in µV (default 0)' },
    'start-us': { type: 'number', help: 'device time of the first sample, µs since the epoch (default now)' },
  },
  sensor: {
    id: { type: 'string', help: 'device id (required)' },
    'interval-s': { type: 'number', help: 'wall seconds between readings at speed 1 (default 60)' },
    speed: { type: 'number', help: 'speed-up: one reading every interval/speed seconds (default 1)' },
    anomaly: { type: 'list', help: 'kind[:metric]@atMinute:durationMin[:magnitude], kind spike|drop|drift|stuck, metric flow (default) or pressure' },
    start: { type: 'string', help: 'device time of the first reading, ISO-8601 (default now)' },
    count: { type: 'number', help: 'stop after N readings' },
    seed: { type: 'number', help: 'random seed (default 1)' },
  },
  'replay-edf': {
    file: { type: 'string', help: 'EDF/EDF+ file (required)' },
    id: { type: 'string', help: 'device id (required)' },
    speed: { type: 'string', help: 'wall-clock speed-up: 1 (default), N, or max' },
    'chunk-ms': { type: 'number', help: 'chunk length in ms (default 100)' },
    loop: { type: 'boolean', help: 'start again at the end (device time continues)' },
    map: { type: 'string', help: 'annotation → marker code, e.g. T1=cue_left,T2=cue_right,T0=cue_rest' },
    'start-us': { type: 'number', help: 'device time of the first sample, µs since the epoch (default now)' },
    encoding: { type: 'string', help: 'binary (default) or json' },
  },
  'replay-csv': {
    file: { type: 'string', help: 'CSV file with a header row (required)' },
    id: { type: 'string', help: 'device id (required)' },
    'time-col': { type: 'string', help: 'time column (default timestamp/datetime/time/date, else the first)' },
    metrics: { type: 'list', help: 'columns to publish (default every other numeric column)' },
    delimiter: { type: 'string', help: "field separator (default: detected; use ';' for SKAB, 'tab' for TSV)" },
    speed: { type: 'string', help: 'speed-up of the file clock: 1 (default), N, or max' },
    start: { type: 'string', help: "shift device time so the first row is at this ISO time (or 'now')" },
    loop: { type: 'boolean', help: 'start again at the end (device time continues)' },
  },
} satisfies Record<string, OptSpecs>;

export type CommandName = keyof typeof COMMAND_OPTIONS;
export const COMMANDS = Object.keys(COMMAND_OPTIONS) as CommandName[];

export interface Common {
  natsUrl: string;
  statusEveryMs: number;
}

export type ParsedCommand =
  | { command: 'help'; text: string }
  | ({ command: 'eeg'; options: SyntheticEegRunOptions } & Common)
  | ({ command: 'sensor'; options: SyntheticSensorRunOptions } & Common)
  | ({ command: 'replay-edf'; options: ReplayEdfOptions } & Common)
  | ({ command: 'replay-csv'; options: ReplayCsvOptions } & Common);

const DESCRIPTIONS: Record<CommandName, string> = {
  eeg: 'synthetic EEG headset in real time (pink noise, alpha, mu/beta; --paradigm adds cues and ERD)',
  sensor: 'synthetic water-network sensor (flow, pressure), one reading per device minute',
  'replay-edf': 'replay an EDF/EDF+ recording as EEG chunks, annotations as markers',
  'replay-csv': 'replay a CSV time series (NAB, SKAB, …) as sensor readings',
};

export function usage(command?: CommandName): string {
  const fmt = (specs: OptSpecs) => Object.entries(specs).map(([k, s]) => `  --${k.padEnd(15)} ${s.help ?? ''}`).join('\n');
  if (command) return `bci-device ${command} [options]\n  ${DESCRIPTIONS[command]}\n\n${fmt(COMMAND_OPTIONS[command])}\n${fmt(COMMON_OPTIONS)}`;
  return `bci-device <command> [options]\n\n${COMMANDS.map((c) => `  ${c.padEnd(11)} ${DESCRIPTIONS[c]}`).join('\n')}\n\nbci-device <command> --help for its options.`;
}

function str(v: OptValue | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

function num(v: OptValue | undefined, name: string, check: (n: number) => boolean = (n) => n > 0, what = 'a positive number'): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !check(v)) throw new UsageError(`--${name} must be ${what}, got ${String(v)}`);
  return v;
}

function deviceId(v: OptValue | undefined): string {
  if (v === undefined) throw new UsageError('--id is required (e.g. --id hs-1)');
  if (!isValidDeviceId(v)) throw new UsageError(`--id ${JSON.stringify(v)} must be 1-64 letters, digits, '-' or '_'`);
  return v;
}

/** 'max' → Infinity; else a positive number. */
export function parseSpeed(v: OptValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (String(v).toLowerCase() === 'max') return Infinity;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--speed must be a positive number or max, got ${JSON.stringify(v)}`);
  return n;
}

function encoding(v: OptValue | undefined): 'binary' | 'json' | undefined {
  if (v === undefined || v === 'binary' || v === 'json') return v;
  throw new UsageError(`--encoding must be binary or json, got ${JSON.stringify(v)}`);
}

function isoTime(v: OptValue | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(String(v));
  if (!/\d{4}-\d{2}-\d{2}/.test(String(v)) || Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO-8601 time like 2026-11-25T06:00:00Z, got ${JSON.stringify(v)}`);
  return ms;
}

export function parseCommandLine(argv: readonly string[], env: Record<string, string | undefined> = {}): ParsedCommand {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') return { command: 'help', text: usage() };
  if (!(COMMANDS as string[]).includes(cmd)) throw new UsageError(`unknown command ${JSON.stringify(cmd)} (commands: ${COMMANDS.join(', ')})`);
  const command = cmd as CommandName;
  const { values: v, positionals } = parseArgs(rest, { ...COMMAND_OPTIONS[command], ...COMMON_OPTIONS });
  if (v.help) return { command: 'help', text: usage(command) };
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (options start with --)`);
  const common: Common = {
    natsUrl: str(v.nats) ?? env.NATS_URL ?? 'nats://127.0.0.1:4222',
    statusEveryMs: (num(v['status-s'], 'status-s', (n) => n >= 0, 'zero or more seconds') ?? 5) * 1000,
  };
  switch (command) {
    case 'eeg': {
      const ch = str(v.channels);
      const channels = ch === undefined || ch === '64' ? 64 : ch === '8' ? 8 : ch.split(',').map((s) => s.trim()).filter(Boolean);
      if (Array.isArray(channels) && (channels.length < 1 || channels.some((c) => /^\d+$/.test(c)))) throw new UsageError(`--channels must be 64, 8 or channel names, got ${JSON.stringify(ch)}`);
      const classes = (v.classes as string[] | undefined)?.map((c) => {
        if (!(MI_CUES as readonly string[]).includes(c)) throw new UsageError(`--classes: ${JSON.stringify(c)} is not one of ${MI_CUES.join(', ')}`);
        return c as MiCue;
      });
      return {
        command,
        ...common,
        options: {
          id: deviceId(v.id),
          channels,
          fsHz: num(v.fs, 'fs'),
          chunkMs: num(v['chunk-ms'], 'chunk-ms'),
          encoding: encoding(v.encoding),
          paradigm: v.paradigm === true,
          classes,
          seed: num(v.seed, 'seed', Number.isInteger, 'an integer'),
          durationS: num(v['duration-s'], 'duration-s'),
          speed: num(v.speed, 'speed'),
          lineNoiseUv: num(v['line-noise-uv'], 'line-noise-uv', (n) => n >= 0, 'zero or more µV'),
          startUs: num(v['start-us'], 'start-us', (n) => n >= 0, 'microseconds since the epoch'),
        },
      };
    }
    case 'sensor':
      return {
        command,
        ...common,
        options: {
          id: deviceId(v.id),
          intervalS: num(v['interval-s'], 'interval-s'),
          speed: num(v.speed, 'speed'),
          anomalies: ((v.anomaly as string[] | undefined) ?? []).map((a) => parseAnomalySpec(a)),
          startMs: isoTime(v.start, 'start'),
          count: num(v.count, 'count', (n) => Number.isInteger(n) && n > 0, 'a positive integer'),
          seed: num(v.seed, 'seed', Number.isInteger, 'an integer'),
        },
      };
    case 'replay-edf': {
      const file = str(v.file);
      if (!file) throw new UsageError('--file is required (an .edf file)');
      const base = defaultAnnotationMap(basename(file));
      return {
        command,
        ...common,
        options: {
          id: deviceId(v.id),
          file,
          speed: parseSpeed(v.speed),
          chunkMs: num(v['chunk-ms'], 'chunk-ms'),
          loop: v.loop === true,
          map: v.map === undefined ? base : parseAnnotationMap(String(v.map), base),
          startUs: num(v['start-us'], 'start-us', (n) => n >= 0, 'microseconds since the epoch'),
          encoding: encoding(v.encoding),
        },
      };
    }
    case 'replay-csv': {
      const file = str(v.file);
      if (!file) throw new UsageError('--file is required (a CSV file with a header row)');
      const d = str(v.delimiter);
      const delimiter = d === undefined ? undefined : d === 'tab' || d === '\\t' ? '\t' : d === 'semicolon' ? ';' : d === 'comma' ? ',' : d;
      if (delimiter !== undefined && delimiter.length !== 1) throw new UsageError(`--delimiter must be one character (or tab), got ${JSON.stringify(d)}`);
      const start = str(v.start);
      return {
        command,
        ...common,
        options: {
          id: deviceId(v.id),
          file,
          timeCol: str(v['time-col']),
          metrics: v.metrics as string[] | undefined,
          delimiter,
          speed: parseSpeed(v.speed),
          startMs: start === undefined ? undefined : start === 'now' ? Date.now() : isoTime(start, 'start'),
          loop: v.loop === true,
        },
      };
    }
  }
}
