// Ingest sorts messages in pieces as they arrive (ingest.consumer.ts) and writes the batch from
// the merged pieces: that must be the batch sortBatch gives for all of them at once, continuity
// checks included (a repeat in a later piece than the original is still caught).
import { encodeEegFrame, encodeMarker, EEG_FRAME_CONTENT_TYPE, type EegChunk } from '@bci/shared';
import { mergeSortedBatches, sortBatch, type RawMessage } from '../../server/src/ingest/ingest-batch';
import { memoryLayoutCache as layouts } from '../support/layout-cache';

const T0 = 1_800_000_000_000_000;

function chunk(deviceId: string, seq: number): EegChunk {
  return { deviceId, seq, t0Us: T0 + seq * 100_000, fsHz: 160, channels: ['C3', 'C4'], unit: 'uV', nSamples: 16, samples: new Float32Array(32).fill(seq) };
}

let streamSeq = 0;
function msg(subject: string, data: Uint8Array, contentType?: string): RawMessage {
  return { subject, data, headers: contentType ? { 'Content-Type': [contentType] } : {}, redelivered: false, stream: 'S', streamSeq: ++streamSeq, receivedAtUs: T0 + streamSeq };
}
const eeg = (id: string, seq: number) => msg(`bci.eeg.${id}`, encodeEegFrame(chunk(id, seq)), EEG_FRAME_CONTENT_TYPE);


describe('sorting a batch in pieces', () => {
  it('merges to what sorting the whole batch gives, gaps and repeats across pieces included', () => {
    const messages: RawMessage[] = [
      eeg('a', 0),
      eeg('b', 0),
      msg('bci.markers.a', encodeMarker({ deviceId: 'a', timeUs: T0, code: 'cue_left', label: 'left' })),
      eeg('a', 1),
      eeg('b', 3), // a gap (accepted: devices may drop chunks)
      eeg('a', 1), // repeat of a's seq 1, in a later piece than the first
      msg('bci.eeg.c', new Uint8Array([1, 2, 3]), EEG_FRAME_CONTENT_TYPE), // malformed
      eeg('a', 2),
    ];
    const whole = sortBatch(messages, layouts(), 1 << 20, null);
    const cache = layouts();
    const parts = [messages.slice(0, 2), messages.slice(2, 4), messages.slice(4, 5), messages.slice(5)].map((p) => sortBatch(p, cache, 1 << 20, null));
    const merged = mergeSortedBatches(parts);
    const view = (b: typeof whole) => ({
      eeg: b.eeg.map((a) => `${a.value.deviceId}:${a.value.seq}`),
      markers: b.markers.map((m) => m.value.code),
      rejected: b.rejected.map((r) => `${r.deviceId}:${r.fault}`),
      newEeg: b.newEegDevices.map((c) => c.deviceId),
    });
    expect(view(merged)).toEqual(view(whole));
    // and the whole batch did catch what it should
    expect(view(whole).rejected).toEqual(['a:seq_regression', 'c:decode']);
    expect(view(whole).eeg).toEqual(['a:0', 'b:0', 'a:1', 'b:3', 'a:2']);
    expect(view(whole).markers).toEqual(['cue_left']);
  });
});
