// Upper bounds that keep one message from exhausting memory. Configurable at the server;
// these are the defaults and the hard ceilings of the binary frame.
export const DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;
export const MAX_CHANNELS = 1024;
export const MAX_LABEL_BYTES = 255;
export const MAX_SAMPLES_PER_CHUNK = 1 << 16;
export const MAX_FS_HZ = 100_000;
export const MAX_METRICS = 256;
export const METRIC_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
