// The dashboard in a real browser against the real server, NATS and PostgreSQL, with
// simulated devices: overview, live EEG traces with markers, sensor charts, the alert feed
// (an injected anomaly appears live; an acknowledgement survives a reload) and recovery
// after a server restart. Each test leaves a screenshot in test-output/e2e/. The browser signs
// in as the admin through the login page first.
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser';
import { waitFor } from '../support/wait';
import { startStack, type Stack } from './support/stack';
import { authedFetch, browserLogin, loginAdmin, TEST_ADMIN, type AuthedFetch } from '../support/auth';

const EEG = 'hs-e2e';
const SENSOR = 'pump-e2e';

/** A position-weighted sum of the trace canvas pixels (changes when traces scroll) and how many pixels are lit. */
async function canvasSignature(page: Page): Promise<{ sum: number; lit: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=eeg-canvas]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = d[i] + d[i + 1] + d[i + 2];
      if (v > 150) lit++;
      sum = (sum + v * ((i >> 2) % 9973)) % 2_147_483_647;
    }
    return { sum, lit };
  });
}

async function frames(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=eeg-strip]', 'data-frames'));
}

describe('dashboard (browser)', () => {
  let stack: Stack;
  let b: TestBrowser;
  let asAdmin: AuthedFetch;
  const url = (hash: string) => `${stack.server.url}/${hash}`;

  beforeAll(async () => {
    stack = await startStack(
      { eeg: { deviceId: EEG, channels: 16, fsHz: 160, markerEveryS: 2 }, sensor: { deviceId: SENSOR, intervalMs: 250 } },
      { BCI_STAGER_MIN_POINTS: '20', BCI_ALERT_MIN_OPEN_STAGE: '2' },
    );
    b = await launchBrowser();
    asAdmin = authedFetch(stack.server.url, (await loginAdmin(stack.server.url)).accessToken);
    await browserLogin(b.page, url('#/'));
  });

  afterAll(async () => {
    await b?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // Errors in the page fail the test that caused them (ignore failed requests during restarts).
    const errors = b.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(e));
    b.errors.length = 0;
    expect(errors).toEqual([]);
  });

  it('serves the app with an SPA fallback and lists the simulated EEG and sensor devices', async () => {
    const { page } = b;
    const res = await fetch(`${stack.server.url}/device/whatever`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
    expect((await fetch(`${stack.server.url}/api/no-such-thing`)).status).toBe(404);

    await page.goto(url('#/'));
    await page.waitForSelector('[data-testid=connection][data-state=connected]', { timeout: 15_000 });
    await page.waitForSelector(`tr[data-device="${EEG}"][data-online="true"]`, { timeout: 20_000 });
    await page.waitForSelector(`tr[data-device="${SENSOR}"][data-online="true"]`, { timeout: 20_000 });
    const eegRow = await page.textContent(`tr[data-device="${EEG}"]`);
    expect(eegRow).toContain('EEG');
    expect(eegRow).toContain('16 ch @ 160 Hz');
    expect(await page.textContent(`tr[data-device="${SENSOR}"]`)).toContain('Sensor');
    // Message rate shows up from device-status.
    await waitFor(async () => Number((await page.textContent(`tr[data-device="${EEG}"] td.num`))?.trim()) > 0, 10_000, 'EEG message rate');
    await screenshot(page, 'overview');
  });

  it('draws EEG traces that move over time, with markers on the time line', async () => {
    const { page } = b;
    await page.goto(url(`#/device/${EEG}`));
    await page.waitForSelector('[data-testid=live-badge]', { timeout: 15_000 });
    await waitFor(async () => (await frames(page)) >= 5, 10_000, 'EEG frames');
    await page.waitForTimeout(500);
    const a = await canvasSignature(page);
    await page.waitForTimeout(1_500);
    const c = await canvasSignature(page);
    expect(a.lit).toBeGreaterThan(2_000); // traces drawn
    expect(c.lit).toBeGreaterThan(2_000);
    expect(c.sum).not.toBe(a.sum); // and they scroll
    // Markers arrive every 2 s: listed, and drawn as labelled lines.
    await page.waitForSelector('[data-testid=marker-list] li', { timeout: 10_000 });
    expect(await page.textContent('[data-testid=marker-list]')).toMatch(/left|right|feet/);
    // The decoder panels: no model has been trained in this stack.
    await page.waitForSelector('[data-testid=decision-panel] [data-testid=no-model]');
    // Scale control is keyboard-operable and redraws.
    await page.selectOption('[data-testid=scale]', '20');
    await page.focus('[data-testid=eeg-strip]');
    await page.keyboard.press('-');
    expect(await page.inputValue('[data-testid=scale]')).toBe('50');
    await page.waitForTimeout(300);
    await screenshot(page, 'eeg');
  });

  it('shows sensor metrics as charts', async () => {
    const { page } = b;
    await page.goto(url(`#/device/${SENSOR}`));
    await page.waitForSelector('[data-metric=pressure] canvas', { timeout: 15_000 });
    await page.waitForSelector('[data-metric=flow] canvas');
    await page.waitForTimeout(1_500);
    await page.click('[data-range="24h"]');
    await page.waitForTimeout(500);
    await page.click('[data-range="1h"]');
    await page.waitForTimeout(1_000);
    await screenshot(page, 'sensor');
  });

  it('shows an injected anomaly in the alert feed within 5 s; an acknowledgement persists across a reload', async () => {
    const { page } = b;
    await waitFor(async () => (await asAdmin('/api/alerts')).ok, 10_000, 'alerts API');
    await page.goto(url('#/alerts'));
    await page.waitForSelector('[data-testid=alerts-empty], [data-testid=alert-list]', { timeout: 10_000 });
    // Noise on the other metrics may raise alerts of its own: watch only the spiked metric.
    // Let the stager collect its baseline (20 readings at 4/s) before the spike.
    await page.waitForTimeout(7_000);
    const target = `[data-alert][data-device="${SENSOR}"][data-metric=level]`;
    expect(await page.locator(target).count()).toBe(0);
    const injectedAt = Date.now();
    stack.sim.injectSpike('level', 40);
    const item = page.locator(`${target}[data-state=active_unacknowledged]`).first();
    await item.waitFor({ timeout: 5_000 });
    expect(Date.now() - injectedAt).toBeLessThan(5_000);
    const text = (await item.textContent()) ?? '';
    expect(text).toContain(SENSOR);
    expect(text).toMatch(/(Interest|Caution|Alert|Critical)\s*(관심|주의|경계|심각)/);
    const stage = Number(await item.getAttribute('data-stage'));
    if (stage === 4) await page.waitForSelector('[data-testid=critical-banner]', { timeout: 2_000 });
    await screenshot(page, 'alerts-new');

    const id = (await item.getAttribute('data-alert'))!;
    // Actions are taken as the signed-in user.
    expect(await page.textContent('[data-testid=operator]')).toBe(TEST_ADMIN.username);
    await item.locator('[data-testid=ack]').click();
    await page.fill('[data-testid=note]', 'checked the pump on site');
    await page.click('[data-testid=confirm]');
    const sel = `[data-alert="${id}"]`;
    await page.waitForSelector(`${sel}[data-state=active_acknowledged]`, { timeout: 5_000 });

    await page.reload();
    await page.waitForSelector(`${sel}[data-state=active_acknowledged]`, { timeout: 10_000 });
    expect(await page.textContent(sel)).toContain(`acknowledged by ${TEST_ADMIN.username}`);
    expect(await page.textContent(sel)).toContain('checked the pump on site');
    const stored = (await (await asAdmin('/api/alerts?state=active_acknowledged')).json()) as { id: string; acknowledgedBy: string }[];
    expect(stored.find((a) => a.id === id)?.acknowledgedBy).toBe(TEST_ADMIN.username);
    await screenshot(page, 'alerts-acknowledged');
  });

  it('recovers by itself after the server restarts: reconnects, resubscribes and data flows again', async () => {
    const { page } = b;
    await page.goto(url(`#/device/${EEG}`));
    await page.waitForSelector('[data-testid=live-badge]', { timeout: 15_000 });
    const kill = stack.server.kill();
    await page.waitForSelector('[data-testid=connection][data-state=reconnecting]', { timeout: 10_000 });
    await kill;
    await page.waitForTimeout(1_000);
    await screenshot(page, 'reconnecting');
    const before = await frames(page);
    await stack.restartServer(0);
    await page.waitForSelector('[data-testid=connection][data-state=connected]', { timeout: 20_000 });
    await waitFor(async () => (await frames(page)) > before + 5, 20_000, 'EEG frames after the restart');
    await page.waitForSelector('[data-testid=live-badge]', { timeout: 10_000 });
    const a = await canvasSignature(page);
    await page.waitForTimeout(1_000);
    expect((await canvasSignature(page)).sum).not.toBe(a.sum);
    await screenshot(page, 'eeg-recovered');
    // The overview's device status resumes too.
    await page.goto(url('#/'));
    await page.waitForSelector(`tr[data-device="${EEG}"][data-online="true"]`, { timeout: 10_000 });
  });
});
