// EDF+ annotations → markers. PhysioNet EEGMMIDB codes its events T0/T1/T2 and their meaning
// depends on the run, so the default mapping is chosen from the run number in the file name
// and can be overridden with --map T1=cue_left,T2=cue_right,T0=cue_rest.
import { MARKER_CODES, type Marker, type MarkerCode } from '@bci/shared';
import type { EdfAnnotation } from '@bci/streams/edf';
import { UsageError } from './args';

export type AnnotationMap = Record<string, MarkerCode>;

/** Runs with left/right fist tasks (executed 3, 7, 11; imagined 4, 8, 12). */
const FIST_RUNS = new Set([3, 4, 7, 8, 11, 12]);
/** Runs with both-fists (T1) / both-feet (T2) tasks. */
const FISTS_FEET_RUNS = new Set([5, 6, 9, 10, 13, 14]);

/** Default mapping for a file name like S001R06.edf; left/right hands when the run is unknown. */
export function defaultAnnotationMap(fileName: string): AnnotationMap {
  const m = /R(\d{2})(?:\.edf)?$/i.exec(fileName.replace(/\\/g, '/').split('/').pop() ?? '');
  const run = m ? Number(m[1]) : NaN;
  // No 'both fists' code in the contract: T1 of those runs stays a text marker labelled "T1".
  if (FISTS_FEET_RUNS.has(run)) return { T0: 'cue_rest', T2: 'cue_feet' };
  if (FIST_RUNS.has(run) || Number.isNaN(run)) return { T0: 'cue_rest', T1: 'cue_left', T2: 'cue_right' };
  return { T0: 'cue_rest' };
}

/** Parses "T1=cue_left,T2=cue_right" (merged over a base mapping). */
export function parseAnnotationMap(text: string, base: AnnotationMap = {}): AnnotationMap {
  const out: AnnotationMap = { ...base };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`bad --map entry ${JSON.stringify(part)}: expected ANNOTATION=code`);
    const key = part.slice(0, eq).trim();
    const code = part.slice(eq + 1).trim();
    if (!(MARKER_CODES as readonly string[]).includes(code)) throw new UsageError(`bad --map entry ${JSON.stringify(part)}: code must be one of ${MARKER_CODES.join(', ')}`);
    out[key] = code as MarkerCode;
  }
  return out;
}

/** One marker per annotation; unmapped annotations become 'text' markers labelled with the annotation. */
export function annotationToMarker(a: EdfAnnotation, deviceId: string, startUs: number, map: AnnotationMap): Marker {
  const code = map[a.text] ?? 'text';
  const marker: Marker = { deviceId, timeUs: startUs + Math.round(a.onsetS * 1e6), code, label: a.text };
  if (a.durationS > 0) marker.durationS = a.durationS;
  return marker;
}
