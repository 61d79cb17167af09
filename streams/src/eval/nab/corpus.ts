// Reads the NAB layout: DIR/data/<category>/<file>.csv (timestamp,value) and
// DIR/labels/combined_windows.json ({"<category>/<file>.csv": [[start, end], ...]}).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledSeries } from './scorer';

export interface NabSeries extends LabelledSeries {
  /** "<category>/<file>.csv", the key used by NAB's label files. */
  name: string;
  category: string;
  file: string;
  rawTimestamps: string[];
  values: number[];
}

/** NAB timestamps have no zone ("2014-04-10 07:15:00[.000000]"); read them as UTC. */
export function parseNabTime(s: string): number {
  const ms = Date.parse(`${s.trim().slice(0, 19).replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new Error(`bad NAB timestamp ${JSON.stringify(s)}`);
  return ms;
}

export function loadNabCorpus(dir: string, labelFile = 'labels/combined_windows.json'): NabSeries[] {
  const dataDir = join(dir, 'data');
  const labelPath = join(dir, labelFile);
  if (!existsSync(dataDir) || !existsSync(labelPath)) throw new Error(`not a NAB folder (need data/ and ${labelFile}): ${dir}`);
  const labels = JSON.parse(readFileSync(labelPath, 'utf8')) as Record<string, Array<[string, string]>>;
  const out: NabSeries[] = [];
  for (const category of readdirSync(dataDir).sort()) {
    const catDir = join(dataDir, category);
    for (const file of readdirSync(catDir).filter((f) => f.endsWith('.csv')).sort()) {
      const name = `${category}/${file}`;
      const lines = readFileSync(join(catDir, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
      const rawTimestamps: string[] = [];
      const timestamps: number[] = [];
      const values: number[] = [];
      for (const line of lines.slice(1)) {
        const comma = line.indexOf(',');
        const ts = line.slice(0, comma);
        rawTimestamps.push(ts);
        timestamps.push(parseNabTime(ts));
        values.push(Number(line.slice(comma + 1)));
      }
      const windows = (labels[name] ?? []).map(([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number]);
      out.push({ name, category, file, rawTimestamps, timestamps, values, windows });
    }
  }
  return out;
}
