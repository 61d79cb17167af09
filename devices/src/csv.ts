// Minimal CSV reading for sensor replays: header row, one delimiter (',' ';' or tab, detected
// from the header unless given), optional double-quoted fields with "" escapes. NAB files are
// comma separated (timestamp,value); SKAB files are semicolon separated (datetime;...).
import { METRIC_NAME_PATTERN } from '@bci/shared';
import { UsageError } from './args';

export interface CsvTable {
  header: string[];
  rows: string[][];
  delimiter: string;
}

/** Splits one line; quotes may wrap a field (embedded newlines are not supported). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

/** The candidate delimiter occurring most often in the header line (outside quotes). */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

export function parseCsv(text: string, delimiter?: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new UsageError('the CSV file is empty');
  const d = delimiter ?? detectDelimiter(lines[0]);
  return { header: splitCsvLine(lines[0], d), rows: lines.slice(1).map((l) => splitCsvLine(l, d)), delimiter: d };
}

/**
 * Milliseconds since the epoch. ISO-8601 with a zone as given; 'YYYY-MM-DD HH:MM:SS[.fff]' and
 * zoneless ISO as UTC (NAB and SKAB times carry no zone); all digits = epoch seconds (or ms if
 * 13+ digits). NaN when unparseable.
 */
export function parseCsvTime(text: string): number {
  const s = text.trim();
  if (/^\d{9,}(\.\d+)?$/.test(s)) return s.split('.')[0].length >= 13 ? Number(s) : Number(s) * 1000;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) return Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`);
  return NaN;
}

/** A column name as a metric name the contract accepts ("Volume Flow RateRMS" → "Volume_Flow_RateRMS"). */
export function metricName(column: string): string {
  let name = column.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z]/.test(name)) name = 'm_' + name;
  name = name.slice(0, 63);
  if (!METRIC_NAME_PATTERN.test(name)) throw new UsageError(`column ${JSON.stringify(column)} cannot be used as a metric name`);
  return name;
}

export interface CsvSeriesOptions {
  /** Time column; default the first of timestamp/datetime/time/date present, else column 0. */
  timeCol?: string;
  /** Columns to publish (original or sanitised names); default every other column with numbers. */
  metrics?: readonly string[];
}

export interface CsvPoint {
  timeMs: number;
  metrics: Record<string, number>;
}

export interface CsvSeries {
  timeCol: string;
  /** Published metric names, by column. */
  metricColumns: { column: string; metric: string }[];
  points: CsvPoint[];
  /** Rows dropped (bad time or no numeric value), with the first few reasons. */
  skipped: number;
  problems: string[];
}

const TIME_COLUMNS = ['timestamp', 'datetime', 'time', 'date'];

export function csvToSeries(table: CsvTable, o: CsvSeriesOptions = {}): CsvSeries {
  const lower = table.header.map((h) => h.toLowerCase());
  let timeIdx: number;
  if (o.timeCol !== undefined) {
    timeIdx = lower.indexOf(o.timeCol.toLowerCase());
    if (timeIdx < 0) throw new UsageError(`no time column ${JSON.stringify(o.timeCol)} in the CSV header (${table.header.join(', ')})`);
  } else {
    timeIdx = Math.max(0, lower.findIndex((h) => TIME_COLUMNS.includes(h)));
  }
  const isNumber = (s: string | undefined) => s !== undefined && s !== '' && Number.isFinite(Number(s));
  let columns: number[];
  if (o.metrics && o.metrics.length > 0) {
    columns = o.metrics.map((want) => {
      const i = table.header.findIndex((h) => h === want || h.toLowerCase() === want.toLowerCase() || metricName(h) === want);
      if (i < 0) throw new UsageError(`no column ${JSON.stringify(want)} in the CSV header (${table.header.join(', ')})`);
      return i;
    });
  } else {
    // Numeric columns: those with a number in any of the first rows.
    const sample = table.rows.slice(0, 50);
    columns = table.header.map((_, i) => i).filter((i) => i !== timeIdx && sample.some((r) => isNumber(r[i])));
    if (columns.length === 0) throw new UsageError('the CSV has no numeric column besides the time column');
  }
  const metricColumns = columns.map((i) => ({ column: table.header[i], metric: metricName(table.header[i]) }));
  const points: CsvPoint[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const skip = (line: number, why: string) => {
    skipped++;
    if (problems.length < 5) problems.push(`line ${line}: ${why}`);
  };
  table.rows.forEach((row, r) => {
    const timeMs = parseCsvTime(row[timeIdx] ?? '');
    if (Number.isNaN(timeMs)) return skip(r + 2, `unreadable time ${JSON.stringify(row[timeIdx])}`);
    const metrics: Record<string, number> = {};
    columns.forEach((c, k) => {
      if (isNumber(row[c])) metrics[metricColumns[k].metric] = Number(row[c]);
    });
    if (Object.keys(metrics).length === 0) return skip(r + 2, 'no numeric value');
    points.push({ timeMs, metrics });
  });
  return { timeCol: table.header[timeIdx], metricColumns, points, skipped, problems };
}
