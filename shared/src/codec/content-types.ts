/** NATS header that selects the encoding of a payload. */
export const CONTENT_TYPE_HEADER = 'Content-Type';
export const JSON_CONTENT_TYPE = 'application/json';
/** Compact binary EEG frame (see eeg-frame.ts); about 4x smaller than JSON and no float parsing. */
export const EEG_FRAME_CONTENT_TYPE = 'application/vnd.bci.eeg-frame';
/** Per-message id header: JetStream drops a second publish with the same id inside its duplicate window. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';
