// Writes a sorted batch atomically: EEG through binary COPY (idempotent through a staging table
// when a redelivery repeats stored rows), markers, sensor readings and rejections through
// unnest() inserts, also idempotent; a batch of EEG alone is a single COPY statement.
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { BinaryCopyEncoder, copyBinaryInto } from '@bci/db';
import type { DeviceLayout } from '@bci/shared';
import { DatabaseService } from '../database/database.service';
import type { SortedBatch } from './ingest-batch';

const UNIQUE_VIOLATION = '23505';
const EEG_COLUMNS = ['device_id', 'seq', 'device_time', 't0_us', 'fs_hz', 'n_samples', 'samples', 'received_at'] as const;

const payloads = new WeakMap<SortedBatch, Buffer>();

export interface WriteCounts {
  eeg: number;
  markers: number;
  sensor: number;
  rejected: number;
}

function isoFromUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

@Injectable()
export class IngestRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Layouts of the given EEG devices as stored, with the highest stored seq. */
  async loadLayouts(deviceIds: string[]): Promise<Map<string, DeviceLayout & { kind: string }>> {
    const { rows } = await this.db.pool.query<{ device_id: string; kind: string; fs_hz: number | null; channels: string[] | null; last_seq: string | null }>(
      `SELECT d.device_id, d.kind, d.fs_hz, d.channels,
              (SELECT max(seq) FROM eeg_chunks e WHERE e.device_id = d.device_id) AS last_seq
         FROM devices d WHERE d.device_id = ANY($1::text[])`,
      [deviceIds],
    );
    return new Map(
      rows.map((r) => [r.device_id, { kind: r.kind, fsHz: r.fs_hz ?? 0, channels: r.channels ?? [], lastSeq: r.last_seq === null ? -1 : Number(r.last_seq) }]),
    );
  }

  /**
   * One transaction for the whole batch. A connection that dies mid-COPY can leave the COPY
   * stream waiting forever, so the transaction has a deadline after which its connection is
   * destroyed and the batch fails (and is redelivered).
   */
  async write(batch: SortedBatch, timeoutMs = 30_000): Promise<WriteCounts> {
    const client = await this.db.pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`batch write exceeded ${timeoutMs} ms`));
        (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      }, timeoutMs);
    });
    let broken: Error | undefined;
    try {
      return await Promise.race([this.transaction(client, batch), deadline]);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      clearTimeout(timer);
      // A client whose transaction failed may hold a broken connection: destroy it rather
      // than hand it back to the pool.
      client.release(broken);
    }
  }

  private async transaction(client: PoolClient, batch: SortedBatch): Promise<WriteCounts> {
    // The steady state — EEG chunks of known devices, nothing rejected — is one COPY, and one
    // statement is atomic on its own: one round trip instead of BEGIN, SAVEPOINT, COPY, RELEASE,
    // COMMIT. A unique violation (a redelivery of stored rows) rolls it back whole; the batch
    // then takes the general path below.
    const eegOnly = !batch.markers.length && !batch.sensor.length && !batch.rejected.length && !batch.newEegDevices.length && !batch.newSensorDevices.length;
    if (eegOnly && batch.eeg.length) {
      try {
        await copyBinaryInto(client, 'eeg_chunks', EEG_COLUMNS, this.eegPayload(batch));
        return { eeg: batch.eeg.length, markers: 0, sensor: 0, rejected: 0 };
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      }
    }
    try {
      await client.query('BEGIN');
      const counts = {
        eeg: await this.writeEeg(client, batch),
        markers: await this.writeMarkers(client, batch),
        sensor: await this.writeSensor(client, batch),
        rejected: await this.writeRejected(client, batch),
      };
      await this.registerDevices(client, batch);
      await client.query('COMMIT');
      return counts;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private async registerDevices(client: PoolClient, batch: SortedBatch): Promise<void> {
    const eeg = batch.newEegDevices;
    if (eeg.length) {
      // One statement for all new devices (a fleet coming online registers hundreds at once).
      // Channel lists travel as JSON: unnest() cannot take a ragged text[][].
      await client.query(
        `INSERT INTO devices (device_id, kind, fs_hz, channels, unit)
         SELECT d, 'eeg', f, ARRAY(SELECT e FROM jsonb_array_elements_text(c) WITH ORDINALITY AS t(e, i) ORDER BY i), u FROM unnest($1::text[], $2::float8[], $3::jsonb[], $4::text[]) AS x(d, f, c, u)
         ON CONFLICT (device_id) DO NOTHING`,
        [eeg.map((c) => c.deviceId), eeg.map((c) => c.fsHz), eeg.map((c) => JSON.stringify(c.channels)), eeg.map((c) => c.unit)],
      );
    }
    if (batch.newSensorDevices.length) {
      await client.query(
        `INSERT INTO devices (device_id, kind) SELECT unnest($1::text[]), 'sensor' ON CONFLICT (device_id) DO NOTHING`,
        [batch.newSensorDevices],
      );
    }
  }

  private async writeEeg(client: PoolClient, batch: SortedBatch): Promise<number> {
    if (!batch.eeg.length) return 0;
    const payload = this.eegPayload(batch);
    // Fresh messages cannot be stored yet (a device's seq only advances), so they go straight
    // in by COPY. Only if that meets a key already there (a redelivery after a crash) does the
    // batch take the slower path: COPY into a staging table, then INSERT … ON CONFLICT DO NOTHING.
    await client.query('SAVEPOINT eeg_copy');
    try {
      await copyBinaryInto(client, 'eeg_chunks', EEG_COLUMNS, payload);
      await client.query('RELEASE SAVEPOINT eeg_copy');
      return batch.eeg.length;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT eeg_copy');
    }
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS eeg_stage (LIKE eeg_chunks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    await copyBinaryInto(client, 'eeg_stage', EEG_COLUMNS, payload);
    const res = await client.query(
      `INSERT INTO eeg_chunks (${EEG_COLUMNS.join(', ')}) SELECT ${EEG_COLUMNS.join(', ')} FROM eeg_stage ON CONFLICT DO NOTHING`,
    );
    return res.rowCount ?? 0;
  }

  /** The batch's EEG rows as one binary COPY payload (built once per batch, reused by a retry). */
  private eegPayload(batch: SortedBatch): Buffer {
    const cached = payloads.get(batch);
    if (cached) return cached;
    const enc = new BinaryCopyEncoder(['text', 'int8', 'timestamptz', 'int8', 'float8', 'int4', 'bytea', 'timestamptz']);
    for (const { value: c, receivedAtUs } of batch.eeg) {
      const bytes = new Uint8Array(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength);
      enc.addRow([c.deviceId, c.seq, c.t0Us, Math.round(c.t0Us), c.fsHz, c.nSamples, bytes, receivedAtUs]);
    }
    const payload = enc.finish();
    payloads.set(batch, payload);
    return payload;
  }

  private async writeMarkers(client: PoolClient, batch: SortedBatch): Promise<number> {
    if (!batch.markers.length) return 0;
    const m = batch.markers;
    const res = await client.query(
      `INSERT INTO markers (device_id, device_time, time_us, code, label, duration_s, received_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        m.map((x) => x.value.deviceId),
        m.map((x) => isoFromUs(x.value.timeUs)),
        m.map((x) => x.value.timeUs),
        m.map((x) => x.value.code),
        m.map((x) => x.value.label),
        m.map((x) => x.value.durationS ?? null),
        m.map((x) => isoFromUs(x.receivedAtUs)),
      ],
    );
    return res.rowCount ?? 0;
  }

  private async writeSensor(client: PoolClient, batch: SortedBatch): Promise<number> {
    if (!batch.sensor.length) return 0;
    const device: string[] = [];
    const metric: string[] = [];
    const time: string[] = [];
    const value: number[] = [];
    const received: string[] = [];
    for (const { value: r, receivedAtUs } of batch.sensor) {
      for (const [name, v] of Object.entries(r.metrics)) {
        device.push(r.deviceId);
        metric.push(name);
        time.push(r.time);
        value.push(v);
        received.push(isoFromUs(receivedAtUs));
      }
    }
    const res = await client.query(
      `INSERT INTO sensor_readings (device_id, metric, device_time, value, received_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [device, metric, time, value, received],
    );
    return res.rowCount ?? 0;
  }

  private async writeRejected(client: PoolClient, batch: SortedBatch): Promise<number> {
    if (!batch.rejected.length) return 0;
    const r = batch.rejected;
    const res = await client.query(
      `INSERT INTO rejected_messages (stream, stream_seq, subject, device_id, kind, fault, reason, headers, payload, received_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::bytea[], $10::timestamptz[])
       ON CONFLICT (stream, stream_seq) DO NOTHING`,
      [
        r.map((x) => x.message.stream),
        r.map((x) => x.message.streamSeq),
        r.map((x) => x.message.subject),
        r.map((x) => x.deviceId || null),
        r.map((x) => x.kind),
        r.map((x) => x.fault),
        r.map((x) => x.reason),
        r.map((x) => JSON.stringify(x.message.headers)),
        r.map((x) => Buffer.from(x.message.data)),
        r.map((x) => isoFromUs(x.message.receivedAtUs)),
      ],
    );
    return res.rowCount ?? 0;
  }
}
