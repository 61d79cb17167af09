import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DeviceStatus } from '@bci/shared';
import { DatabaseService } from '../database/database.service';
import { IngestBus } from './ingest.bus';

const RATE_WINDOW_S = 10;
const OFFLINE_AFTER_MS = 5_000;

interface Activity {
  kind: 'eeg' | 'sensor';
  lastSeenMs: number;
  /** Messages per second over the last RATE_WINDOW_S seconds, one slot per second. */
  slots: number[];
  slotSecond: number;
}

/** Who sent what, when: feeds the overview and persists devices.last_seen_at every few seconds. */
@Injectable()
export class DeviceActivity implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly byDevice = new Map<string, Activity>();
  private readonly dirty = new Set<string>();
  private timer?: NodeJS.Timeout;
  private readonly log = new Logger('DeviceActivity');

  constructor(
    bus: IngestBus,
    private readonly db: DatabaseService,
  ) {
    bus.onCommitted((batch) => {
      const now = Date.now();
      for (const { value } of batch.eeg) this.seen(value.deviceId, 'eeg', now);
      for (const { value } of batch.sensor) this.seen(value.deviceId, 'sensor', now);
    });
  }

  private seen(deviceId: string, kind: 'eeg' | 'sensor', now: number): void {
    const second = Math.floor(now / 1000);
    let a = this.byDevice.get(deviceId);
    if (!a) {
      a = { kind, lastSeenMs: now, slots: new Array(RATE_WINDOW_S).fill(0), slotSecond: second };
      this.byDevice.set(deviceId, a);
    }
    this.advance(a, second);
    a.slots[second % RATE_WINDOW_S]++;
    a.lastSeenMs = now;
    this.dirty.add(deviceId);
  }

  private advance(a: Activity, second: number): void {
    for (let s = a.slotSecond + 1; s <= second && s <= a.slotSecond + RATE_WINDOW_S; s++) a.slots[s % RATE_WINDOW_S] = 0;
    a.slotSecond = Math.max(a.slotSecond, second);
  }

  statuses(now = Date.now()): DeviceStatus[] {
    const second = Math.floor(now / 1000);
    return [...this.byDevice.entries()].map(([deviceId, a]) => {
      this.advance(a, second);
      return {
        deviceId,
        kind: a.kind,
        lastSeenAt: new Date(a.lastSeenMs).toISOString(),
        messagesPerS: a.slots.reduce((s, v) => s + v, 0) / RATE_WINDOW_S,
        online: now - a.lastSeenMs < OFFLINE_AFTER_MS,
      };
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), 5_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async flush(): Promise<void> {
    if (!this.dirty.size) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    const times = ids.map((id) => new Date(this.byDevice.get(id)!.lastSeenMs).toISOString());
    try {
      await this.db.pool.query(
        `UPDATE devices d SET last_seen_at = greatest(d.last_seen_at, u.t)
           FROM unnest($1::text[], $2::timestamptz[]) AS u(id, t) WHERE d.device_id = u.id`,
        [ids, times],
      );
    } catch (err) {
      for (const id of ids) this.dirty.add(id);
      this.log.warn(`last-seen update failed: ${(err as Error).message}`);
    }
  }
}
