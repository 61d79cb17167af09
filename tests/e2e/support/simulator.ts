// Synthetic devices for the dashboard tests and benchmark: an EEG headset publishing chunks in
// real time (sines + noise per channel, with motor-imagery cue markers every few seconds) and
// an industrial sensor publishing a reading a second. Run directly for manual testing:
//   node -r @swc-node/register tests/e2e/support/simulator.ts --nats nats://127.0.0.1:4222 --eeg hs-1 --channels 64 --sensor pump-1
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, type EegChunk, type MarkerCode } from '@bci/shared';

export const CHANNELS_64 = [
  'Fp1', 'Fpz', 'Fp2', 'AF7', 'AF3', 'AFz', 'AF4', 'AF8', 'F7', 'F5', 'F3', 'F1', 'Fz', 'F2', 'F4', 'F6', 'F8',
  'FT7', 'FC5', 'FC3', 'FC1', 'FCz', 'FC2', 'FC4', 'FC6', 'FT8', 'T7', 'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6', 'T8',
  'TP7', 'CP5', 'CP3', 'CP1', 'CPz', 'CP2', 'CP4', 'CP6', 'TP8', 'P7', 'P5', 'P3', 'P1', 'Pz', 'P2', 'P4', 'P6', 'P8',
  'PO7', 'PO3', 'POz', 'PO4', 'PO8', 'O1', 'Oz', 'O2', 'Iz', 'T9', 'T10',
];
export const CHANNELS_8 = ['Fz', 'FC3', 'FC4', 'C3', 'Cz', 'C4', 'Pz', 'Oz'];

export interface SimulatorOptions {
  natsUrl: string;
  eeg?: { deviceId: string; channels?: number; fsHz?: number; chunkSamples?: number; markerEveryS?: number };
  sensor?: { deviceId: string; intervalMs?: number };
}

export interface Simulator {
  nc: NatsConnection;
  publisher: DevicePublisher;
  /** EEG chunks published so far. */
  chunks(): number;
  /** Makes the next `n` sensor readings anomalous: `metric` (default `level`) jumps 25-fold. */
  injectSpike(metric?: string, n?: number): void;
  stop(): Promise<void>;
}

const CUES: MarkerCode[] = ['cue_left', 'cue_right', 'cue_feet'];

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const nc = await connect({ servers: opts.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const publisher = new DevicePublisher(jetstream(nc), { publishTimeoutMs: 3_000 });
  let stopped = false;
  let published = 0;
  const loops: Promise<void>[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

  if (opts.eeg) {
    const e = opts.eeg;
    const fs = e.fsHz ?? 160;
    const n = e.chunkSamples ?? 16;
    const want = e.channels ?? 8;
    // 8 = a motor strip; otherwise channels spread evenly over the 64-channel cap.
    const channels = want >= 64 ? CHANNELS_64 : want === 8 ? CHANNELS_8 : Array.from({ length: want }, (_, i) => CHANNELS_64[Math.floor((i * 64) / want)]);
    const nCh = channels.length;
    const periodMs = (n / fs) * 1000;
    const startMs = Date.now();
    const t0Us = startMs * 1000;
    let phaseNoise = 0;
    const markerEvery = e.markerEveryS ?? 3;
    loops.push(
      (async () => {
        // Sequence numbers continue from the wall clock, so a restarted simulator keeps them increasing.
        const seq0 = Math.floor(startMs / periodMs);
        for (let k = 0; !stopped; k++) {
          const seq = seq0 + k;
          const due = startMs + k * periodMs;
          await sleep(due - Date.now());
          if (stopped) break;
          const samples = new Float32Array(nCh * n);
          for (let i = 0; i < n; i++) {
            const t = (k * n + i) / fs;
            phaseNoise = 0.9 * phaseNoise + (Math.random() - 0.5) * 4;
            for (let c = 0; c < nCh; c++) {
              const alpha = 18 * Math.sin(2 * Math.PI * (9 + (c % 5) * 0.4) * t + c);
              const slow = 12 * Math.sin(2 * Math.PI * 0.7 * t + c * 0.3);
              samples[c * n + i] = alpha + slow + phaseNoise + (Math.random() - 0.5) * 10;
            }
          }
          const chunk: EegChunk = { deviceId: e.deviceId, seq, t0Us: t0Us + k * periodMs * 1000, fsHz: fs, channels, unit: 'uV', nSamples: n, samples };
          await publisher.publishEeg(chunk);
          published++;
          const chunksPerMarker = Math.round((markerEvery * 1000) / periodMs);
          if (k > 0 && k % chunksPerMarker === 0) {
            const code = CUES[(k / chunksPerMarker) % CUES.length];
            await publisher.publishMarker({ deviceId: e.deviceId, timeUs: chunk.t0Us, code, label: code.replace('cue_', 'T-'), durationS: 2 });
          }
        }
      })(),
    );
  }

  let spike = null as { metric: string; left: number } | null;
  if (opts.sensor) {
    const s = opts.sensor;
    const every = s.intervalMs ?? 1_000;
    loops.push(
      (async () => {
        for (let k = 0; !stopped; k++) {
          const now = Date.now();
          const metrics: Record<string, number> = {
            pressure: 3.2 + 0.15 * Math.sin(k / 30) + (Math.random() - 0.5) * 0.05,
            flow: 120 + 8 * Math.sin(k / 45) + (Math.random() - 0.5) * 2,
            temperature: 18 + 0.5 * Math.sin(k / 120) + (Math.random() - 0.5) * 0.1,
            // A draining tank: always at the low end of its history, so never anomalous (high)
            // on its own — the clean target for injected spikes.
            level: 80 - 0.01 * k,
          };
          if (spike && spike.left > 0) {
            metrics[spike.metric] = (metrics[spike.metric] ?? 1) * 25;
            spike.left--;
          }
          await publisher.publishReading({ deviceId: s.deviceId, time: new Date(now).toISOString(), metrics });
          await sleep(every - (Date.now() - now));
        }
      })(),
    );
  }

  return {
    nc,
    publisher,
    chunks: () => published,
    injectSpike(metric = 'level', n = 40) {
      spike = { metric, left: n };
    },
    async stop() {
      stopped = true;
      await Promise.race([Promise.allSettled(loops), sleep(5_000)]);
      await nc.close();
    },
  };
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  startSimulator({
    natsUrl: arg('nats') ?? 'nats://127.0.0.1:4222',
    eeg: arg('eeg') ? { deviceId: arg('eeg')!, channels: Number(arg('channels') ?? 8), fsHz: Number(arg('fs') ?? 160) } : undefined,
    sensor: arg('sensor') ? { deviceId: arg('sensor')! } : undefined,
  }).then(
    (sim) => {
      console.log('simulating; Ctrl-C to stop');
      process.on('SIGINT', () => void sim.stop().then(() => process.exit(0)));
      process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
