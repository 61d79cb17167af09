// Fixed 256-byte EDF header plus the 256-byte-per-signal header block.
import { EdfFormatError, EdfHeader, EdfSignalHeader, EdfVariant } from './types';

export const FIXED_HEADER_BYTES = 256;
export const SIGNAL_HEADER_BYTES = 256;
export const ANNOTATION_LABEL = 'EDF Annotations';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

// Header fields are space-padded printable ASCII; latin1 keeps one char per byte
// so offsets stay exact even with stray non-ASCII bytes.
function ascii(bytes: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function num(field: string, name: string, integer: boolean): number {
  const t = field.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new EdfFormatError(`header field ${name} is not a valid ${integer ? 'integer' : 'number'}: ${JSON.stringify(field)}`);
  }
  return v;
}

/** "C3.." -> "C3", "Fc5." -> "Fc5", "EEG Fpz-Cz  " -> "EEG Fpz-Cz". */
export function cleanLabel(raw: string): string {
  return raw.trim().replace(/\.+$/, '').trim();
}

function parseStart(dateRaw: string, timeRaw: string, recordingId: string): Date {
  const d = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(dateRaw.trim());
  const t = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(timeRaw.trim());
  if (!d) throw new EdfFormatError(`start date is not dd.mm.yy: ${JSON.stringify(dateRaw)}`);
  if (!t) throw new EdfFormatError(`start time is not hh.mm.ss: ${JSON.stringify(timeRaw)}`);
  const yy = Number(d[3]);
  // EDF spec clipping date: 85-99 -> 19xx, 00-84 -> 20xx.
  let year = yy >= 85 ? 1900 + yy : 2000 + yy;
  const plus = /^Startdate (\d\d)-([A-Z]{3})-(\d{4})\b/.exec(recordingId);
  if (plus && MONTHS.includes(plus[2])) year = Number(plus[3]);
  const month = Number(d[2]);
  const day = Number(d[1]);
  const [hh, mm, ss] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 59) {
    throw new EdfFormatError(`invalid start date/time ${dateRaw} ${timeRaw}`);
  }
  return new Date(Date.UTC(year, month - 1, day, hh, mm, ss));
}

/** Parse the fixed header and all signal headers; does not touch data records. */
export function parseHeader(bytes: Uint8Array): EdfHeader {
  if (bytes.length < FIXED_HEADER_BYTES) {
    throw new EdfFormatError(`truncated file: ${bytes.length} bytes, the fixed EDF header alone is 256`);
  }
  if (bytes[0] === 0xff) throw new EdfFormatError('this is a BDF (24-bit BioSemi) file, not EDF');
  const version = ascii(bytes, 0, 8);
  if (version !== '0       ') throw new EdfFormatError(`not an EDF file: version field is ${JSON.stringify(version)}, expected "0"`);

  const patientId = ascii(bytes, 8, 80).trimEnd();
  const recordingId = ascii(bytes, 88, 80).trimEnd();
  const startDateRaw = ascii(bytes, 168, 8);
  const startTimeRaw = ascii(bytes, 176, 8);
  const headerBytes = num(ascii(bytes, 184, 8), 'header bytes', true);
  const reserved = ascii(bytes, 192, 44).trimEnd();
  const numRecords = num(ascii(bytes, 236, 8), 'number of data records', true);
  const recordDurationS = num(ascii(bytes, 244, 8), 'record duration', false);
  const numSignals = num(ascii(bytes, 252, 4), 'number of signals', true);

  if (numSignals < 1) throw new EdfFormatError(`number of signals must be >= 1, got ${numSignals}`);
  if (recordDurationS < 0) throw new EdfFormatError(`negative record duration ${recordDurationS}`);
  if (numRecords < -1) throw new EdfFormatError(`invalid number of data records ${numRecords}`);
  const expectedHeader = FIXED_HEADER_BYTES + numSignals * SIGNAL_HEADER_BYTES;
  if (headerBytes !== expectedHeader) {
    throw new EdfFormatError(`header bytes field says ${headerBytes}, but ${numSignals} signals need ${expectedHeader}`);
  }
  if (bytes.length < headerBytes) {
    throw new EdfFormatError(`truncated file: ${bytes.length} bytes, header needs ${headerBytes}`);
  }

  let variant: EdfVariant = 'EDF';
  if (reserved.startsWith('EDF+C')) variant = 'EDF+C';
  else if (reserved.startsWith('EDF+D')) variant = 'EDF+D';

  const ns = numSignals;
  // Signal header fields are stored field by field across all signals.
  let off = FIXED_HEADER_BYTES;
  const field = (len: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i < ns; i++) out.push(ascii(bytes, off + i * len, len));
    off += ns * len;
    return out;
  };
  const labels = field(16);
  const transducers = field(80);
  const dims = field(8);
  const pmins = field(8);
  const pmaxs = field(8);
  const dmins = field(8);
  const dmaxs = field(8);
  const prefilters = field(80);
  const sprs = field(8);

  const signalHeaders: EdfSignalHeader[] = [];
  for (let i = 0; i < ns; i++) {
    const rawLabel = labels[i].trimEnd();
    const isAnnotation = variant !== 'EDF' && labels[i].trim() === ANNOTATION_LABEL;
    const where = `signal ${i} (${rawLabel})`;
    const samplesPerRecord = num(sprs[i], `${where} samples per record`, true);
    if (samplesPerRecord < 1) throw new EdfFormatError(`${where}: samples per record must be >= 1`);
    const digitalMin = num(dmins[i], `${where} digital minimum`, true);
    const digitalMax = num(dmaxs[i], `${where} digital maximum`, true);
    const physicalMin = num(pmins[i], `${where} physical minimum`, false);
    const physicalMax = num(pmaxs[i], `${where} physical maximum`, false);
    if (!isAnnotation) {
      if (digitalMax <= digitalMin) throw new EdfFormatError(`${where}: digital maximum ${digitalMax} <= minimum ${digitalMin}`);
      if (digitalMin < -32768 || digitalMax > 32767) throw new EdfFormatError(`${where}: digital range exceeds int16`);
      if (physicalMax === physicalMin) throw new EdfFormatError(`${where}: physical minimum equals maximum (${physicalMin})`);
    }
    signalHeaders.push({
      label: isAnnotation ? ANNOTATION_LABEL : cleanLabel(rawLabel),
      rawLabel,
      transducer: transducers[i].trim(),
      physicalDim: dims[i].trim(),
      physicalMin,
      physicalMax,
      digitalMin,
      digitalMax,
      prefiltering: prefilters[i].trim(),
      samplesPerRecord,
      fsHz: recordDurationS > 0 ? samplesPerRecord / recordDurationS : 0,
      isAnnotation,
    });
  }

  const startDate = parseStart(startDateRaw, startTimeRaw, recordingId);
  return {
    version: version.trim(),
    variant,
    patientId,
    recordingId,
    startDateRaw,
    startTimeRaw,
    startDate,
    startTimeUs: startDate.getTime() * 1000,
    headerBytes,
    reserved,
    numRecords,
    recordDurationS,
    numSignals,
    signalHeaders,
  };
}
