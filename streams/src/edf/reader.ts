// Pure EDF/EDF+ reader: bytes in, physical samples + annotations out.
import { parseHeader } from './header';
import { parseTals } from './tal';
import { EdfAnnotation, EdfFormatError, EdfRecording, EdfSignal } from './types';

export interface ReadEdfOptions {
  /**
   * When the file ends inside the data records: false (default) throws; true
   * keeps the complete records and adds a warning (useful for live-written files).
   */
  allowTruncated?: boolean;
}

export function readEdf(bytes: Uint8Array, options: ReadEdfOptions = {}): EdfRecording {
  const header = parseHeader(bytes);
  const warnings: string[] = [];
  const sh = header.signalHeaders;
  const ns = sh.length;

  // Byte offset of each signal inside one data record (2 bytes per sample).
  const offsets = new Array<number>(ns);
  let recordBytes = 0;
  for (let i = 0; i < ns; i++) {
    offsets[i] = recordBytes;
    recordBytes += sh[i].samplesPerRecord * 2;
  }

  const available = Math.floor((bytes.length - header.headerBytes) / recordBytes);
  let numRecords = header.numRecords;
  if (numRecords === -1) {
    // -1 = "unknown" (recording still in progress when the header was written).
    numRecords = available;
    warnings.push(`number of data records was -1; derived ${numRecords} from the file length`);
  } else if (available < numRecords) {
    const msg =
      `truncated file: header declares ${numRecords} data records of ${recordBytes} bytes ` +
      `(${header.headerBytes + numRecords * recordBytes} bytes in all) but the file has ${bytes.length} bytes ` +
      `(${available} complete records)`;
    if (!options.allowTruncated) throw new EdfFormatError(msg);
    warnings.push(msg);
    numRecords = available;
  }
  const extra = bytes.length - header.headerBytes - numRecords * recordBytes;
  if (extra > 0) warnings.push(`${extra} bytes after the last data record were ignored`);
  header.numRecords = numRecords;

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signals: EdfSignal[] = [];
  for (let i = 0; i < ns; i++) {
    const s = sh[i];
    if (s.isAnnotation) continue;
    const spr = s.samplesPerRecord;
    const out = new Float64Array(spr * numRecords);
    // Linear map digital [dmin, dmax] -> physical [pmin, pmax] (EDF spec).
    const gain = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
    const offset = s.physicalMin - gain * s.digitalMin;
    let k = 0;
    for (let r = 0; r < numRecords; r++) {
      let p = header.headerBytes + r * recordBytes + offsets[i];
      for (let j = 0; j < spr; j++, p += 2) out[k++] = view.getInt16(p, true) * gain + offset;
    }
    signals.push({
      label: s.label,
      rawLabel: s.rawLabel,
      fsHz: s.fsHz,
      physicalDim: s.physicalDim,
      transducer: s.transducer,
      prefiltering: s.prefiltering,
      samples: out,
    });
  }

  const recordOnsetsS = new Float64Array(numRecords);
  for (let r = 0; r < numRecords; r++) recordOnsetsS[r] = r * header.recordDurationS;
  const annotations: EdfAnnotation[] = [];
  const annIdx = sh.map((s, i) => (s.isAnnotation ? i : -1)).filter((i) => i >= 0);
  if (header.variant !== 'EDF' && annIdx.length === 0) {
    throw new EdfFormatError(`${header.variant} file has no "EDF Annotations" signal`);
  }
  for (let r = 0; r < numRecords; r++) {
    annIdx.forEach((i, nth) => {
      const start = header.headerBytes + r * recordBytes + offsets[i];
      const where = `record ${r}, annotation signal ${i}`;
      const tals = parseTals(bytes.subarray(start, start + sh[i].samplesPerRecord * 2), where);
      tals.forEach((tal, t) => {
        let texts = tal.texts;
        if (nth === 0 && t === 0) {
          // Timekeeping TAL: onset = start of this record; its first text is empty.
          if (texts.length === 0 || texts[0] !== '') {
            throw new EdfFormatError(`${where}: first TAL is not a timekeeping TAL (its first text must be empty)`);
          }
          recordOnsetsS[r] = tal.onsetS;
          texts = texts.slice(1);
        }
        for (const text of texts) {
          if (text !== '') annotations.push({ onsetS: tal.onsetS, durationS: tal.durationS ?? 0, text });
        }
      });
    });
  }
  if (header.variant === 'EDF+C') {
    for (let r = 1; r < numRecords; r++) {
      const expected = recordOnsetsS[0] + r * header.recordDurationS;
      if (Math.abs(recordOnsetsS[r] - expected) > 1e-6) {
        warnings.push(`EDF+C record ${r} starts at ${recordOnsetsS[r]} s, expected ${expected} s (file may be discontinuous)`);
        break;
      }
    }
  }
  // Array.prototype.sort is stable, so same-onset annotations keep file order.
  annotations.sort((a, b) => a.onsetS - b.onsetS);
  return { header, signals, annotations, recordOnsetsS, warnings };
}

/** Convenience: the signal with this (clean or raw) label, case-insensitive. */
export function findSignal(rec: EdfRecording, label: string): EdfSignal | undefined {
  const l = label.toLowerCase();
  return rec.signals.find((s) => s.label.toLowerCase() === l || s.rawLabel.toLowerCase() === l);
}
