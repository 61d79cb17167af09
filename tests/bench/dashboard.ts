// `npm run bench -- dashboard [--seconds 10] [--channels 64] [--fs 160]`: the EEG view in
// headless chromium while a simulated 64-channel 160 Hz headset streams in real time through
// the real server; frame times are requestAnimationFrame deltas measured inside the page.
// Last stdout line: {"channels":64,"fs":160,"frame_ms_p50":…,"frame_ms_p95":…}
import { launchBrowser } from '../support/browser';
import { startStack } from '../e2e/support/stack';
import { browserLogin } from '../support/auth';

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export async function main(argv: string[]): Promise<void> {
  const seconds = arg(argv, 'seconds', 10);
  const channels = arg(argv, 'channels', 64);
  const fs = arg(argv, 'fs', 160);
  const deviceId = 'bench-eeg';
  const stack = await startStack({ eeg: { deviceId, channels, fsHz: fs, chunkSamples: Math.max(1, Math.round(fs / 10)) } });
  const b = await launchBrowser({ width: 1600, height: 1000 });
  try {
    const { page } = b;
    await browserLogin(page, `${stack.server.url}/#/device/${deviceId}`);
    await page.waitForSelector('[data-testid=live-badge]', { timeout: 30_000 });
    await page.waitForTimeout(2_000); // history fill and the clock settle
    const result = await page.evaluate(async (ms: number) => {
      const deltas: number[] = [];
      let last = 0;
      const start = performance.now();
      const strip = document.querySelector('[data-testid=eeg-strip]')!;
      const frames0 = Number(strip.getAttribute('data-frames'));
      await new Promise<void>((resolve) => {
        const tick = (now: number) => {
          if (last) deltas.push(now - last);
          last = now;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      const view = (window as unknown as { __bciEeg?: { visible: number[]; drawTimes: number[] } }).__bciEeg;
      const draws = (view?.drawTimes ?? []).slice(-deltas.length);
      return { deltas, draws, socketFrames: Number(strip.getAttribute('data-frames')) - frames0, visible: view?.visible.length ?? 0 };
    }, seconds * 1000);
    const sorted = [...result.deltas].sort((x, y) => x - y);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const detail = {
      frames: sorted.length,
      frame_ms_max: r2(sorted[sorted.length - 1] ?? NaN),
      frames_over_33ms: sorted.filter((d) => d > 33).length,
      // Main-thread time inside the view's draw call per frame (the rest of the frame is idle).
      draw_ms_p50: r2(quantile([...result.draws].sort((x, y) => x - y), 0.5)),
      draw_ms_p95: r2(quantile([...result.draws].sort((x, y) => x - y), 0.95)),
      eeg_messages: result.socketFrames,
      channels_drawn: result.visible,
      chunks_published: stack.sim.chunks(),
      page_errors: b.errors.length,
    };
    console.log(JSON.stringify(detail));
    console.log(JSON.stringify({ channels, fs, frame_ms_p50: r2(quantile(sorted, 0.5)), frame_ms_p95: r2(quantile(sorted, 0.95)) }));
  } finally {
    await b.close();
    await stack.stop();
  }
}
