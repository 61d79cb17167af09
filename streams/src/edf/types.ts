// Data model of a decoded EDF/EDF+ file. Times are seconds relative to the
// header's start date/time unless the name says otherwise.

export type EdfVariant = 'EDF' | 'EDF+C' | 'EDF+D';

export interface EdfSignalHeader {
  /** Label with PhysioNet-style trailing dots and padding removed ("C3.." -> "C3"). */
  label: string;
  /** Label as stored in the header, only trailing spaces removed ("C3.."). */
  rawLabel: string;
  transducer: string;
  physicalDim: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  /** samplesPerRecord / recordDurationS (0 when the record duration is 0). */
  fsHz: number;
  isAnnotation: boolean;
}

export interface EdfHeader {
  version: string;
  variant: EdfVariant;
  patientId: string;
  recordingId: string;
  /** Header start date as stored ("dd.mm.yy"). */
  startDateRaw: string;
  /** Header start time as stored ("hh.mm.ss"). */
  startTimeRaw: string;
  /**
   * Start of recording. EDF has no time zone: the clock time is encoded as if
   * it were UTC. The 4-digit year of an EDF+ "Startdate dd-MMM-yyyy" recording
   * field wins over the 2-digit header year.
   */
  startDate: Date;
  /** startDate in microseconds since the Unix epoch (same UTC convention). */
  startTimeUs: number;
  headerBytes: number;
  reserved: string;
  numRecords: number;
  recordDurationS: number;
  numSignals: number;
  signalHeaders: EdfSignalHeader[];
}

export interface EdfSignal {
  label: string;
  rawLabel: string;
  fsHz: number;
  physicalDim: string;
  transducer: string;
  prefiltering: string;
  /** Physical values (e.g. uV), all records concatenated in file order. */
  samples: Float64Array;
}

export interface EdfAnnotation {
  onsetS: number;
  /** 0 when the TAL gives no duration. */
  durationS: number;
  text: string;
}

export interface EdfRecording {
  header: EdfHeader;
  /** Ordinary (non-annotation) signals in header order. */
  signals: EdfSignal[];
  /** EDF+ annotations, sorted by onset (stable), timekeeping entries excluded. */
  annotations: EdfAnnotation[];
  /**
   * Start of every data record in seconds: from the timekeeping TAL for EDF+,
   * else index * recordDurationS. Needed to place samples of EDF+D files.
   */
  recordOnsetsS: Float64Array;
  /** Non-fatal oddities (e.g. trailing bytes after the last record). */
  warnings: string[];
}

export class EdfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdfFormatError';
  }
}
