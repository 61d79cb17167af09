export { RingBuffer } from './RingBuffer';
export { SlidingWindow } from './SlidingWindow';
export type { Window } from './SlidingWindow';
export { Epocher, EpochLayout, epochRecording } from './Epocher';
export type { Epoch, EpochEvent, EpochOptions, SkippedEvent } from './Epocher';
export { checkEpoch, peakToPeak, rejectEpochs } from './artifacts';
export type { RejectCriteria, RejectionReason, RejectionResult } from './artifacts';
