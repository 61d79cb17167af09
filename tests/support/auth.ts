// Authentication for tests: the admin every test server starts with (server-process.ts sets
// BCI_ADMIN_USER / BCI_ADMIN_PASSWORD / BCI_AUTH_SECRET), users of other roles created through
// the admin API, fetch with a Bearer token and socket.io clients with a handshake token.
import { io, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { LIVE_NAMESPACE, type Role, type TokenPair, type UserView } from '@bci/shared';

export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password-0001' };
export const TEST_AUTH_SECRET = 'test-secret-for-integration-tests-0123456789';
/** What startServer passes unless a test overrides it. */
export const TEST_AUTH_ENV: Record<string, string> = {
  BCI_ADMIN_USER: TEST_ADMIN.username,
  BCI_ADMIN_PASSWORD: TEST_ADMIN.password,
  BCI_AUTH_SECRET: TEST_AUTH_SECRET,
};

export async function login(url: string, username: string, password: string): Promise<TokenPair> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenPair;
}

export function loginAdmin(url: string): Promise<TokenPair> {
  return login(url, TEST_ADMIN.username, TEST_ADMIN.password);
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** fetch with the token; a plain object body is sent as JSON. */
export type AuthedFetch = (path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Response>;

export function authedFetch(url: string, token: string | (() => string)): AuthedFetch {
  return (path, init = {}) => {
    const headers: Record<string, string> = { ...bearer(typeof token === 'function' ? token() : token), ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    return fetch(url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  };
}

export interface TestUser {
  user: UserView;
  password: string;
  tokens: TokenPair;
  token: string;
  fetch: AuthedFetch;
}

let counter = 0;

/** Creates a user of `role` (clinicians assigned to `deviceIds`) through the admin API and logs in. */
export async function createUser(url: string, role: Role, deviceIds: string[] = [], opts: { adminToken?: string; username?: string; password?: string } = {}): Promise<TestUser> {
  const adminToken = opts.adminToken ?? (await loginAdmin(url)).accessToken;
  const username = opts.username ?? `${role}-${process.pid}-${++counter}`;
  const password = opts.password ?? `pw-${role}-${counter}-secret`;
  const res = await authedFetch(url, adminToken)('/api/users', { body: { username, password, role, deviceIds } });
  if (res.status !== 201) throw new Error(`creating ${role} ${username} failed: ${res.status} ${await res.text()}`);
  const user = (await res.json()) as UserView;
  const tokens = await login(url, username, password);
  return { user, password, tokens, token: tokens.accessToken, fetch: authedFetch(url, tokens.accessToken) };
}

/** A socket.io client on /live authenticated with `token` (the callback form, as the dashboard does). */
export function authedSocket(url: string, token: string | (() => string), opts: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  return io(url + LIVE_NAMESPACE, {
    transports: ['websocket'],
    ...opts,
    auth: (cb) => cb({ token: typeof token === 'function' ? token() : token }),
  });
}

/** The few Page methods browserLogin needs (playwright-core's Page satisfies it). */
interface LoginPage {
  goto(url: string): Promise<unknown>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  waitForSelector(selector: string, opts?: { timeout?: number }): Promise<unknown>;
}

/** Signs in through the dashboard's login form at `url` (a dashboard URL, hash allowed). */
export async function browserLogin(page: LoginPage, url: string, username = TEST_ADMIN.username, password = TEST_ADMIN.password): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=login-form]', { timeout: 15_000 });
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=whoami]', { timeout: 15_000 });
}
