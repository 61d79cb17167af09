// Signal-processing surface of @bci/streams (EDF reading, filters, windows/epochs,
// spectral features), for the lead to re-export from streams/src/index.ts.
export * from './edf';
export * from './filters';
export * from './windows';
export * from './features';
