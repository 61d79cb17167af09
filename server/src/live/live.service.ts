import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { rooms, type LiveEegFrame, type LiveMarker, type LiveSensorReading } from '@bci/shared';
import { MinMaxDecimator } from '@bci/streams/display';
import { IngestBus } from '../ingest/ingest.bus';
import { DeviceActivity } from '../ingest/device-activity';
import { LiveGateway } from './live.gateway';

const DISPLAY_POINTS_PER_S = 100;

/** Turns committed ingest batches into display events for the dashboard's rooms. */
@Injectable()
export class LiveService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly decimators = new Map<string, { decimator: MinMaxDecimator; fsHz: number; nextSample: number; t0Us: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bus: IngestBus,
    private readonly gateway: LiveGateway,
    private readonly activity: DeviceActivity,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.onCommitted((batch) => {
      const emittedAtUs = Date.now() * 1000;
      for (const { value: c, receivedAtUs } of batch.eeg) {
        // Nobody watching this device: drop its decimator; it restarts aligned when someone joins.
        if (!this.gateway.hasListeners(rooms.eeg(c.deviceId))) {
          this.decimators.delete(c.deviceId);
          continue;
        }
        let d = this.decimators.get(c.deviceId);
        // A gap in device time (device restarted, dropped chunks) restarts the decimator so
        // buckets stay aligned to real sample times.
        const expectedT0 = d ? d.t0Us + (d.nextSample * 1e6) / d.fsHz : NaN;
        if (!d || d.fsHz !== c.fsHz || Math.abs(c.t0Us - expectedT0) > 1e6 / c.fsHz) {
          d = { decimator: MinMaxDecimator.forRate(c.channels.length, c.fsHz, DISPLAY_POINTS_PER_S), fsHz: c.fsHz, nextSample: 0, t0Us: c.t0Us };
          this.decimators.set(c.deviceId, d);
        }
        const block = d.decimator.push(c.samples, c.nSamples);
        d.nextSample += c.nSamples;
        if (!block.nBuckets) continue;
        const frame: LiveEegFrame = {
          deviceId: c.deviceId,
          t0Us: d.t0Us + (block.firstSample * 1e6) / c.fsHz,
          bucketUs: (d.decimator.samplesPerBucket * 1e6) / c.fsHz,
          channels: c.channels,
          unit: c.unit,
          nBuckets: block.nBuckets,
          min: block.min,
          max: block.max,
          receivedAtUs,
          emittedAtUs,
        };
        this.gateway.emit(rooms.eeg(c.deviceId), 'eeg', frame);
      }
      for (const { value: m } of batch.markers) {
        const marker: LiveMarker = { deviceId: m.deviceId, timeUs: m.timeUs, code: m.code, label: m.label, durationS: m.durationS };
        this.gateway.emit(rooms.device(m.deviceId), 'marker', marker);
      }
      for (const { value: r, receivedAtUs } of batch.sensor) {
        const reading: LiveSensorReading = { deviceId: r.deviceId, time: r.time, metrics: r.metrics, receivedAtUs };
        this.gateway.emit(rooms.device(r.deviceId), 'sensor', reading);
      }
    });
    this.timer = setInterval(() => {
      if (this.gateway.hasListeners(rooms.overview)) this.gateway.emitDeviceStatus(rooms.overview, this.activity.statuses());
    }, 1_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
