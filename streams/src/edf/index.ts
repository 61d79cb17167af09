export { readEdf, findSignal } from './reader';
export type { ReadEdfOptions } from './reader';
export { parseHeader, cleanLabel } from './header';
export { parseTals } from './tal';
export type { Tal } from './tal';
export { EdfFormatError } from './types';
export type { EdfAnnotation, EdfHeader, EdfRecording, EdfSignal, EdfSignalHeader, EdfVariant } from './types';
