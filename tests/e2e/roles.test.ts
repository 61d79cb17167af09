// The dashboard per role, in a real browser: admin, clinician and operator (created through
// the admin API) sign in through the login form and each sees only what the role may see —
// nav entries, device lists, pages. One screenshot per role in test-output/e2e/.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher } from '@bci/shared';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser';
import { browserLogin, createUser, loginAdmin, TEST_ADMIN, type TestUser } from '../support/auth';
import { makeChunk } from '../support/durability';
import { startStack, type Stack } from './support/stack';

const EEG = 'hs-roles';
const OTHER_EEG = 'hs-roles-other';
const SENSOR = 'pump-roles';

async function navEntries(page: Page): Promise<string[]> {
  return page.$$eval('nav [data-nav]', (els) => els.map((e) => e.getAttribute('data-nav') ?? ''));
}

async function deviceRows(page: Page, expected: string[]): Promise<string[]> {
  for (const id of expected) await page.waitForSelector(`tr[data-device="${id}"]`, { timeout: 20_000 });
  await page.waitForTimeout(1_500); // a device-status round, which could add rows
  return (await page.$$eval('tr[data-device]', (els) => els.map((e) => e.getAttribute('data-device') ?? ''))).sort();
}

describe('dashboard per role (browser)', () => {
  let stack: Stack;
  let b: TestBrowser;
  let nc: NatsConnection;
  let clinician: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    stack = await startStack({ eeg: { deviceId: EEG, channels: 8, fsHz: 160 }, sensor: { deviceId: SENSOR, intervalMs: 500 } });
    nc = await connect({ servers: stack.nats.url });
    await new DevicePublisher(jetstream(nc)).publishEeg(makeChunk(OTHER_EEG, 0));
    const adminToken = (await loginAdmin(stack.server.url)).accessToken;
    clinician = await createUser(stack.server.url, 'clinician', [EEG], { adminToken, username: 'dr-lee' });
    operator = await createUser(stack.server.url, 'operator', [], { adminToken, username: 'op-kim' });
    b = await launchBrowser();
  });

  afterAll(async () => {
    await b?.close();
    await nc?.close();
    await stack?.stop();
  });

  /** A fresh browser context (no session) signed in as the user. */
  async function signIn(username: string, password: string, hash = '#/'): Promise<Page> {
    const context = await b.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => b.errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') b.errors.push(`console: ${msg.text()}`);
    });
    await browserLogin(page, `${stack.server.url}/${hash}`, username, password);
    return page;
  }

  afterEach(() => {
    // CSP violations and script errors show up as console errors: there must be none.
    const errors = b.errors.filter((e) => !/Failed to load resource.*(401|403)/.test(e));
    b.errors.length = 0;
    expect(errors).toEqual([]);
  });

  it('refuses a wrong password on the login form', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/#/`);
    await page.fill('[data-testid=login-username]', TEST_ADMIN.username);
    await page.fill('[data-testid=login-password]', 'wrong-password');
    await page.click('[data-testid=login-submit]');
    expect(await (await page.waitForSelector('[data-testid=login-error]')).textContent()).toContain('Wrong username or password');
    expect(await page.locator('[data-testid=whoami]').count()).toBe(0);
    await screenshot(page, 'roles-login');
    await context.close();
    b.errors.length = 0; // the refused login logs a 401
  });

  it('admin: every device, alerts, users and audit', async () => {
    const page = await signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(await navEntries(page)).toEqual(['overview', 'alerts', 'sessions', 'models', 'users', 'audit']);
    expect(await deviceRows(page, [EEG, OTHER_EEG, SENSOR])).toEqual([EEG, OTHER_EEG, SENSOR].sort());
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await page.click('[data-nav=users]');
    await page.waitForSelector('tr[data-user="dr-lee"]');
    expect(await page.textContent('tr[data-user="dr-lee"]')).toContain(EEG);
    expect(await page.locator('tr[data-user="op-kim"]').count()).toBe(1);
    await screenshot(page, 'roles-admin-users');
    await page.click('[data-nav=audit]');
    await page.waitForSelector('[data-testid=audit-list] tr[data-action=login]');
    await page.click('[data-nav=overview]');
    await deviceRows(page, [EEG]);
    await screenshot(page, 'roles-admin');
    // Reload keeps the session (refresh token in sessionStorage); signing out ends it.
    await page.reload();
    await page.waitForSelector('[data-testid=whoami][data-role=admin]');
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    await page.context().close();
  });

  it('clinician: only the assigned EEG device, no alerts, users or audit', async () => {
    const page = await signIn(clinician.user.username, clinician.password);
    expect(await navEntries(page)).toEqual(['overview', 'sessions', 'models']);
    expect(await page.textContent('nav [data-nav=overview]')).toBe('EEG devices');
    expect(await deviceRows(page, [EEG])).toEqual([EEG]);
    expect(await page.locator('[data-testid=alert-counts]').count()).toBe(0);
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await screenshot(page, 'roles-clinician');
    // The EEG view of the assigned device streams.
    await page.click(`tr[data-device="${EEG}"] a`);
    await page.waitForSelector('[data-testid=live-badge]', { timeout: 15_000 });
    await screenshot(page, 'roles-clinician-eeg');
    for (const hash of ['#/alerts', '#/users', '#/audit']) {
      await page.goto(`${stack.server.url}/${hash}`);
      await page.waitForSelector('[data-testid=forbidden]');
    }
    await page.context().close();
  });

  it('operator: sensor devices and alerts, no EEG, users or audit', async () => {
    const page = await signIn(operator.user.username, operator.password);
    expect(await navEntries(page)).toEqual(['overview', 'alerts']);
    expect(await deviceRows(page, [SENSOR])).toEqual([SENSOR]);
    await page.waitForSelector('[data-testid=alert-counts]');
    await page.waitForSelector('[data-testid=connection][data-state=connected]');
    await screenshot(page, 'roles-operator');
    await page.click('[data-nav=alerts]');
    await page.waitForSelector('[data-testid=alerts-empty], [data-testid=alert-list]');
    expect(await page.textContent('[data-testid=operator]')).toBe('op-kim');
    await page.goto(`${stack.server.url}/#/users`);
    await page.waitForSelector('[data-testid=forbidden]');
    await page.context().close();
  });
});
