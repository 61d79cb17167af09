// Shared plumbing of the device runners: abortable sleeps, wall-clock pacing, the periodic
// status line and waiting until the server has created the JetStream streams.
import type { JetStreamClient } from '@nats-io/jetstream';

export interface RunHooks {
  /** Where status and waiting lines go (default: nowhere). */
  log?: (line: string) => void;
  /** Status line period (default 5000 ms; 0 = off). */
  statusEveryMs?: number;
  /** Wait for the streams before publishing (default true). */
  waitForStreams?: boolean;
}

export interface RunStats {
  chunks: number;
  samples: number;
  markers: number;
  readings: number;
  elapsedMs: number;
  /** True when stopped by the abort signal rather than by running out of data. */
  aborted: boolean;
}

export function emptyStats(): RunStats {
  return { chunks: 0, samples: 0, markers: 0, readings: 0, elapsedMs: 0, aborted: false };
}

/** Resolves after ms, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Paces work against the wall clock: `until(deviceMs)` sleeps until deviceMs / speed after the
 * start. Scheduling from the start (not from the previous send) keeps the rate exact even when
 * publishes are slow. speed = Infinity never sleeps.
 */
export class Pacer {
  private readonly startWall = Date.now();
  constructor(private readonly speed: number) {
    if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
  }
  until(deviceMs: number, signal?: AbortSignal): Promise<void> {
    if (this.speed === Infinity) return Promise.resolve();
    return sleep(this.startWall + deviceMs / this.speed - Date.now(), signal);
  }
}

/** Prints one line every few seconds from a caller-supplied summary. */
export class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  constructor(
    private readonly hooks: RunHooks,
    private readonly summary: (elapsedS: number) => string,
  ) {
    const every = hooks.statusEveryMs ?? 5_000;
    if (hooks.log && every > 0) {
      this.timer = setInterval(() => this.print(), every);
      this.timer.unref();
    }
  }
  print(): void {
    this.hooks.log?.(this.summary((Date.now() - this.started) / 1000));
  }
  stop(final = true): void {
    if (this.timer) clearInterval(this.timer);
    if (final) this.print();
  }
}

/**
 * Waits until a JetStream stream captures each subject. The server creates the streams at
 * start-up; publishing before that fails with "no responders", so say once what we wait for.
 */
export async function waitForStreams(js: JetStreamClient, subjects: readonly string[], hooks: RunHooks, signal?: AbortSignal): Promise<boolean> {
  let announced = false;
  for (;;) {
    if (signal?.aborted) return false;
    try {
      const jsm = await js.jetstreamManager();
      for (const s of subjects) await jsm.streams.find(s);
      if (announced) hooks.log?.('JetStream streams found; publishing');
      return true;
    } catch {
      if (!announced) hooks.log?.('waiting for the BCI server to create the JetStream streams…');
      announced = true;
      await sleep(1_000, signal);
    }
  }
}

/** Sequence numbers that keep increasing across restarts of the same device: chunk slots since the epoch. */
export function seqStartFor(startUs: number, chunkUs: number): number {
  return Math.floor(startUs / chunkUs);
}

export function rate(n: number, seconds: number): string {
  return seconds > 0 ? (n / seconds).toFixed(1) : '0.0';
}
