// The live decoder in a real browser: a replayed headset (PhysioNet S001, runs 4 and 8 at full
// speed) is recorded in a calibration session made on the Sessions page and stopped from the
// EEG view; csp-lda is trained there (progress from `training` events) and activated; run 12
// then streams at 8x and the decision panel must show labels that change over time with
// probabilities summing to 1, next to the probability chart, band power, signal quality and
// live accuracy. Models and the session's markers are checked on their pages. Screenshots in
// test-output/e2e/ and docs/screenshots/dashboard-decoder.png.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { Page } from 'playwright-core';
import { annotationToMarker, defaultAnnotationMap, replayEdf } from '@bci/devices';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser';
import { authedFetch, browserLogin, loginAdmin, type AuthedFetch } from '../support/auth';
import { waitFor } from '../support/wait';
import { planRuns, type Run } from '../support/edf-runs';
import { startStack, type Stack } from './support/stack';

const DEVICE = 'mi-e2e';
const DOCS_SHOT = resolve(__dirname, '../../docs/screenshots/dashboard-decoder.png');
// Device time: the three runs back to back, ending about now.
const T0 = (Math.floor(Date.now() / 1000) - 420) * 1_000_000;



const cueCount = (r: Run) =>
  r.rec.annotations.map((a) => annotationToMarker(a, DEVICE, r.startUs, defaultAnnotationMap(r.name))).filter((m) => m.code === 'cue_left' || m.code === 'cue_right').length;

async function decision(page: Page): Promise<{ label: string; probs: number[]; window: number } | null> {
  const el = page.locator('[data-testid=decision-label]');
  if (!(await el.count())) return null;
  const [label, probs, window] = await Promise.all([el.getAttribute('data-label'), el.getAttribute('data-probs'), el.getAttribute('data-window')]);
  return label && probs ? { label, probs: JSON.parse(probs) as number[], window: Number(window) } : null;
}

describe('live decoder (browser)', () => {
  let stack: Stack;
  let b: TestBrowser;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let pg: Client;
  let asAdmin: AuthedFetch;
  const [r4, r8, r12] = planRuns(['S001R04.edf', 'S001R08.edf', 'S001R12.edf'], T0);
  const url = (hash: string) => `${stack.server.url}/${hash}`;
  let sessionId = '';

  beforeAll(async () => {
    stack = await startStack({});
    nc = await connect({ servers: stack.nats.url });
    js = jetstream(nc);
    pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    asAdmin = authedFetch(stack.server.url, (await loginAdmin(stack.server.url)).accessToken);
    b = await launchBrowser();
    await browserLogin(b.page, url('#/sessions'));
  });

  afterAll(async () => {
    await b?.close();
    await pg?.end();
    await nc?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // Script errors, CSP violations and failed API calls show up as console errors.
    const errors = [...b.errors];
    b.errors.length = 0;
    expect(errors).toEqual([]);
  });

  it('records a calibration session: created on the Sessions page, runs 4 and 8 replayed, stopped from the EEG view', async () => {
    const { page } = b;
    await page.waitForSelector('[data-testid=sessions-empty]');
    await page.fill('[data-testid=sessions-create] input[aria-label=Device]', DEVICE);
    await page.fill('[data-testid=sessions-create] input[aria-label=Subject]', 'S001');
    await page.click('[data-testid=sessions-create] button[type=submit]');
    await page.waitForSelector('[data-testid=session-detail] >> text=Not started');
    sessionId = decodeURIComponent(/#\/sessions\/(.+)$/.exec(page.url())![1]);

    // The device has sent nothing yet, so the start time is given explicitly (REST).
    const started = await asAdmin(`/api/sessions/${sessionId}/start`, { body: { startUs: r4.startUs } });
    expect(started.status).toBe(200);
    for (const r of [r4, r8]) await replayEdf(js, { id: DEVICE, recording: r.rec, map: defaultAnnotationMap(r.name), speed: Infinity, startUs: r.startUs, seqStart: r.seqStart });
    await waitFor(
      async () => Number((await pg.query('SELECT count(*) FROM eeg_chunks WHERE device_id = $1', [DEVICE])).rows[0].count) === r4.nChunks + r8.nChunks,
      60_000,
      'runs 4 and 8 stored',
    );

    await page.goto(url(`#/device/${DEVICE}`));
    await page.waitForSelector('[data-testid=session-controls][data-phase=recording]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid=decision-panel] [data-testid=no-model]');
    await page.click('[data-testid=session-stop]');
    await page.waitForSelector('[data-testid=session-controls][data-phase=stopped]');
    const s = (await (await asAdmin(`/api/sessions/${sessionId}`)).json()) as { stoppedAtUs: number; cues: Record<string, number> };
    expect(s.stoppedAtUs).toBe(r8.endUs);
    expect(s.cues.cue_left + s.cues.cue_right).toBe(cueCount(r4) + cueCount(r8));
  });

  it('trains csp-lda from the EEG view with progress, and activates it', async () => {
    const { page } = b;
    await page.selectOption('[data-testid=train-pipeline]', 'csp-lda');
    await page.click('[data-testid=train-start]');
    await page.waitForSelector('[data-testid=training-status]');
    await page.waitForSelector('[data-testid=training-status][data-status=done]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=session-controls]')).toMatch(/CV acc \d+\.\d%/);
    await page.click('[data-testid=model-activate]');
    await page.waitForSelector('[data-testid=model-active]');
    await page.waitForSelector('[data-testid=decision-panel] [data-testid=decision-waiting]');
    const models = (await (await asAdmin(`/api/models?deviceId=${DEVICE}`)).json()) as { active: boolean; pipeline: string; version: number }[];
    expect(models).toEqual([expect.objectContaining({ active: true, pipeline: 'csp-lda', version: 1 })]);
  });

  it('streams run 12: the decision changes over time, probabilities sum to 1, all panels fill', async () => {
    const { page } = b;
    const replay = replayEdf(js, { id: DEVICE, recording: r12.rec, map: defaultAnnotationMap(r12.name), speed: 8, startUs: r12.startUs, seqStart: r12.seqStart });
    let done = false;
    void replay.finally(() => (done = true));
    const seen: { label: string; probs: number[]; window: number }[] = [];
    let shot = false;
    let dropped = false;
    while (!done) {
      const d = await decision(page);
      // Once, mid-stream: drop the socket; after the reconnect the chart fills the gap from REST.
      if (!dropped && seen.length > 15) {
        dropped = true;
        await page.evaluate(() => (window as unknown as { __bciLive: { socket: { io: { engine: { close(): void } } } } }).__bciLive.socket.io.engine.close());
      }
      if (d && (!seen.length || seen[seen.length - 1].window !== d.window)) seen.push(d);
      // A screenshot once the chart holds some history and a few trials are scored.
      if (!shot && seen.length > 30 && (await page.locator('[data-testid=live-accuracy]').count())) {
        // Tall enough for every side panel.
        await page.setViewportSize({ width: 1440, height: 1280 });
        await page.waitForTimeout(400);
        const file = await screenshot(page, 'pipeline-decoder');
        // The README's picture is refreshed only on request, so a test run leaves the tree clean.
        if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
          mkdirSync(resolve(DOCS_SHOT, '..'), { recursive: true });
          copyFileSync(file, DOCS_SHOT);
        }
        await page.setViewportSize({ width: 1440, height: 900 });
        shot = true;
      }
      await page.waitForTimeout(200);
    }
    await replay;
    expect(seen.length).toBeGreaterThan(20);
    expect(new Set(seen.map((d) => d.label)).size).toBeGreaterThanOrEqual(2);
    // Windows advance.
    expect(seen[seen.length - 1].window).toBeGreaterThan(seen[0].window);
    for (const d of seen) {
      expect(Math.abs(d.probs.reduce((a, p) => a + p, 0) - 1)).toBeLessThan(1e-6);
      expect(d.probs.every((p) => p >= 0 && p <= 1)).toBe(true);
    }
    expect(shot).toBe(true);
    expect(await page.textContent('[data-testid=prob-gap]')).toMatch(/filled [1-9]\d* predictions after reconnect/);
    // The other panels: band power bars, one quality lamp per channel, live accuracy of scored trials.
    expect(await page.locator('[data-testid=band-power] .bandbar').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('[data-testid=signal-quality] .lamp[data-verdict]').count()).toBe(r12.rec.signals.length);
    expect(await page.textContent('[data-testid=live-accuracy]')).toMatch(/\d+\/\d+ trials/);
    // The probability chart has drawn lines (lit pixels on its canvas).
    const lit = await page.$eval('[data-testid=prob-chart] canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    });
    expect(lit).toBeGreaterThan(500);
    // Without new windows the decision turns stale.
    await page.waitForSelector('[data-testid=decision-stale]', { timeout: 10_000 });
  });

  it('lists the model on the Models page and the session markers on the Sessions page', async () => {
    const { page } = b;
    await page.click('[data-nav=models]');
    const row = page.locator(`[data-testid=model-group][data-device=${DEVICE}] tr[data-active=true]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toMatch(/v1\s*csp-lda\s*\d+\.\d%\s*[01]\.\d{3}/);
    await screenshot(page, 'pipeline-models');

    await page.click('[data-nav=sessions]');
    await page.click(`tr[data-session="${sessionId}"] td:nth-child(2) a`);
    await page.waitForSelector('[data-testid=session-markers]');
    const cues = await page.locator('[data-testid=session-markers] tr[data-code^=cue_left], [data-testid=session-markers] tr[data-code^=cue_right]').count();
    expect(cues).toBe(cueCount(r4) + cueCount(r8));
    expect(await page.locator('[data-testid=session-detail] .timeline .tick').count()).toBeGreaterThanOrEqual(cues);
    await screenshot(page, 'pipeline-session');
  });
});
