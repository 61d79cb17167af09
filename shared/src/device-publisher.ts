// The device side of the contract: publishes chunks, markers and readings to JetStream with a
// message id per (device, seq/time), so a retried publish is stored once. Retries until the
// broker acknowledges (a device keeps its data through a broker restart), with backoff.
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { EegChunk, Marker, SensorReading } from './messages';
import { subjects } from './subjects';
import { CONTENT_TYPE_HEADER, EEG_FRAME_CONTENT_TYPE, JSON_CONTENT_TYPE } from './codec/content-types';
import { encodeEegFrame } from './codec/eeg-frame';
import { encodeEegJson } from './codec/eeg-json';
import { encodeMarker } from './codec/marker-json';
import { encodeSensorReading } from './codec/sensor-json';

export interface PublisherOptions {
  /** 'binary' (default) or 'json' for EEG chunks. */
  eegEncoding?: 'binary' | 'json';
  /** Give up after this long without a broker acknowledgement (default: never). */
  retryForMs?: number;
  publishTimeoutMs?: number;
}

export class DevicePublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly options: PublisherOptions = {},
  ) {}

  publishEeg(chunk: EegChunk): Promise<PubAck> {
    const binary = (this.options.eegEncoding ?? 'binary') === 'binary';
    return this.publishRaw(
      subjects.eeg(chunk.deviceId),
      binary ? encodeEegFrame(chunk) : encodeEegJson(chunk),
      binary ? EEG_FRAME_CONTENT_TYPE : JSON_CONTENT_TYPE,
      `eeg:${chunk.deviceId}:${chunk.seq}`,
    );
  }

  publishMarker(marker: Marker): Promise<PubAck> {
    return this.publishRaw(subjects.markers(marker.deviceId), encodeMarker(marker), JSON_CONTENT_TYPE, `mk:${marker.deviceId}:${marker.timeUs}:${marker.code}`);
  }

  publishReading(reading: SensorReading): Promise<PubAck> {
    return this.publishRaw(subjects.sensor(reading.deviceId), encodeSensorReading(reading), JSON_CONTENT_TYPE, `sr:${reading.deviceId}:${reading.time}`);
  }

  /** Publishes any payload (also malformed ones, for testing) with retries. */
  async publishRaw(subject: string, payload: Uint8Array, contentType: string | undefined, msgID?: string): Promise<PubAck> {
    const deadline = this.options.retryForMs === undefined ? Infinity : Date.now() + this.options.retryForMs;
    let wait = 100;
    for (;;) {
      const h = natsHeaders();
      if (contentType) h.set(CONTENT_TYPE_HEADER, contentType);
      try {
        return await this.js.publish(subject, payload, { headers: h, msgID, timeout: this.options.publishTimeoutMs ?? 5_000 });
      } catch (err) {
        // A permission the broker refuses will not be granted by retrying: fail at once.
        if (/permissions violation/i.test((err as Error).message)) throw err;
        if (Date.now() + wait > deadline) throw err;
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 2_000);
      }
    }
  }
}
