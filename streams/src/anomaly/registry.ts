// One AnomalyStager per (device, metric), created lazily with the most
// specific configuration that matches: defaults < metric-wide < device-wide <
// exact (device, metric). This is what the server feeds device readings into.
import { AnomalyStager, resolveStagerConfig, type StageResult, type StagerConfig, type StagerSnapshot } from './stager';

export interface DeviceReading {
  deviceId: string;
  /** ISO-8601 string, Date or epoch ms. */
  time: string | number | Date;
  metrics: Record<string, number>;
}

export interface StagedMetric extends StageResult {
  deviceId: string;
  metric: string;
}

export type StagerOverride = Partial<StagerConfig>;

export interface RegistrySnapshot {
  version: 1;
  stagers: Array<{ deviceId: string; metric: string; state: StagerSnapshot }>;
}

export function toEpochMs(t: string | number | Date): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`invalid timestamp: ${JSON.stringify(t)}`);
  return ms;
}

const key = (deviceId: string, metric: string): string => `${deviceId}\u0000${metric}`;

export class StagerRegistry {
  private readonly stagers = new Map<string, AnomalyStager>();
  private readonly exact = new Map<string, StagerOverride>();
  private readonly byDevice = new Map<string, StagerOverride>();
  private readonly byMetric = new Map<string, StagerOverride>();

  constructor(private readonly defaults: StagerOverride = {}) {
    resolveStagerConfig(defaults); // fail fast on a bad default
  }

  /**
   * Set an override; omit deviceId or metric for a wildcard. Stagers it
   * affects keep their baseline when the new config can hold it (e.g. new
   * thresholds, sides, robust on/off, window length); only a switch between
   * point and bucketed storage drops the baseline, which then warms up again
   * (use `replay` with stored readings to rebuild it at once).
   */
  configure(scope: { deviceId?: string; metric?: string }, override: StagerOverride): void {
    const { deviceId, metric } = scope;
    const [layer, k] =
      deviceId !== undefined && metric !== undefined
        ? [this.exact, key(deviceId, metric)]
        : deviceId !== undefined
          ? [this.byDevice, deviceId]
          : metric !== undefined
            ? [this.byMetric, metric]
            : [null, ''];
    if (!layer) throw new Error('configure: give deviceId and/or metric (use the constructor for defaults)');
    const previous = layer.get(k);
    layer.set(k, override);
    try {
      resolveStagerConfig(this.configFor(deviceId ?? '', metric ?? ''));
    } catch (e) {
      // A bad override must not stay behind.
      if (previous === undefined) layer.delete(k);
      else layer.set(k, previous);
      throw e;
    }
    for (const [sk, old] of [...this.stagers]) {
      const [d, m] = sk.split('\u0000') as [string, string];
      if ((deviceId !== undefined && d !== deviceId) || (metric !== undefined && m !== metric)) continue;
      const config = resolveStagerConfig(this.configFor(d, m));
      const snap = old.snapshot();
      const sameStorage = config.bucketMs === old.config.bucketMs;
      if (sameStorage) this.stagers.set(sk, AnomalyStager.restore({ ...snap, config }));
      else this.stagers.delete(sk);
    }
  }

  configFor(deviceId: string, metric: string): StagerOverride {
    const layers = [this.defaults, this.byMetric.get(metric), this.byDevice.get(deviceId), this.exact.get(key(deviceId, metric))];
    const out: StagerOverride = {};
    for (const l of layers) {
      if (!l) continue;
      Object.assign(out, l, { thresholds: { ...out.thresholds, ...l.thresholds } });
    }
    if (out.thresholds && Object.keys(out.thresholds).length === 0) delete out.thresholds;
    return out;
  }

  stagerFor(deviceId: string, metric: string): AnomalyStager {
    const k = key(deviceId, metric);
    let s = this.stagers.get(k);
    if (!s) {
      s = new AnomalyStager(this.configFor(deviceId, metric));
      this.stagers.set(k, s);
    }
    return s;
  }

  /** Stage every metric of a reading (non-numeric metric values come back 'invalid'). */
  ingest(reading: DeviceReading): StagedMetric[] {
    const time = toEpochMs(reading.time);
    const out: StagedMetric[] = [];
    for (const [metric, value] of Object.entries(reading.metrics)) {
      const v = typeof value === 'number' ? value : NaN;
      out.push({ deviceId: reading.deviceId, metric, ...this.stagerFor(reading.deviceId, metric).update(time, v) });
    }
    return out;
  }

  /** Rebuild state after a restart from stored readings (oldest first); results are discarded. */
  replay(readings: Iterable<DeviceReading>): void {
    for (const r of readings) this.ingest(r);
  }

  get size(): number {
    return this.stagers.size;
  }

  snapshot(): RegistrySnapshot {
    const stagers: RegistrySnapshot['stagers'] = [];
    for (const [k, s] of this.stagers) {
      const [deviceId, metric] = k.split('\u0000') as [string, string];
      stagers.push({ deviceId, metric, state: s.snapshot() });
    }
    return { version: 1, stagers };
  }

  restore(snap: RegistrySnapshot): void {
    if (snap.version !== 1) throw new Error(`unsupported registry snapshot version ${String(snap.version)}`);
    this.stagers.clear();
    for (const e of snap.stagers) this.stagers.set(key(e.deviceId, e.metric), AnomalyStager.restore(e.state));
  }
}
