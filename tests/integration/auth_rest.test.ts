// Access control of the REST API. Every route the server documents (its own OpenAPI
// document, so a new route is covered without touching this file) is called without a
// token (401), by roles that may not (403) and by roles that may (neither); then bad tokens,
// refresh rotation, login throttling, headers, CORS and the audit trail.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, type AuditEntry, type Role, type TokenPair, type UserView } from '@bci/shared';
import { signAccessToken } from '../../server/src/auth/jwt';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';
import { authedFetch, bearer, createUser, login, loginAdmin, TEST_ADMIN, TEST_AUTH_SECRET, type TestUser } from '../support/auth';

const EEG = 'hs-auth';
const SENSOR = 'pump-auth';
const ALL: Role[] = ['admin', 'clinician', 'operator'];

/** Who may call a route: roles, and whether the clinician must be assigned to the device. */
interface Rule {
  public?: boolean;
  roles: Role[];
}

/** The access policy, by path (OpenAPI form). Anything unlisted is admin-only (the guard's default). */
function policy(method: string, path: string): Rule {
  if (/^\/api\/(health|auth\/(login|refresh|logout))$/.test(path)) return { public: true, roles: ALL };
  if (path === '/api/auth/me' || (path === '/api/devices' && method === 'get')) return { roles: ALL };
  if (/^\/api\/devices\/\{deviceId\}\/sensor$/.test(path)) return { roles: ['admin', 'operator'] };
  if (/^\/api\/devices\/\{deviceId\}\//.test(path)) return { roles: ['admin', 'clinician'] };
  if (/^\/api\/alerts(\/|$)/.test(path)) return { roles: ['admin', 'operator'] };
  if (/^\/api\/alert-rules(\/|$)/.test(path)) return { roles: ['admin', 'operator'] };
  if (/^\/api\/(models|sessions)(\/|$)/.test(path)) return { roles: ['admin', 'clinician'] };
  return { roles: ['admin'] };
}

describe('REST access control', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  let nc: NatsConnection;
  let admin: TokenPair;
  let clinician: TestUser;
  let otherClinician: TestUser;
  let operator: TestUser;
  let sessionId: string | undefined;

  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url });
    nc = await connect({ servers: nats.url });
    const pub = new DevicePublisher(jetstream(nc));
    await pub.publishEeg(makeChunk(EEG, 0));
    await pub.publishReading({ deviceId: SENSOR, time: new Date().toISOString(), metrics: { pressure: 3.1 } });
    admin = await loginAdmin(server.url);
    const asAdmin = authedFetch(server.url, admin.accessToken);
    await waitFor(async () => {
      const list = (await (await asAdmin('/api/devices')).json()) as { deviceId: string }[];
      return list.some((d) => d.deviceId === EEG) && list.some((d) => d.deviceId === SENSOR);
    }, 15_000, 'both devices stored');
    clinician = await createUser(server.url, 'clinician', [EEG], { adminToken: admin.accessToken });
    otherClinician = await createUser(server.url, 'clinician', ['hs-elsewhere'], { adminToken: admin.accessToken });
    operator = await createUser(server.url, 'operator', [], { adminToken: admin.accessToken });
    const s = await asAdmin('/api/sessions', { body: { deviceId: EEG, subject: 'auth test' } });
    if (s.status === 201) sessionId = ((await s.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  it('guards every documented route: 401 without a token, 403 for other roles, through for the right ones', async () => {
    const doc = (await (await fetch(`${server.url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    // Deletions last, so the session the other routes use still exists.
    const routes = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path })))
      // Deletes last (a permitted DELETE removes the resource), sub-resources before their parent.
      .sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete') || (a.method === 'delete' ? b.path.length - a.path.length : 0));
    expect(routes.length).toBeGreaterThan(10);
    const users: Record<'admin' | 'clinician' | 'otherClinician' | 'operator', string> = {
      admin: admin.accessToken,
      clinician: clinician.token,
      otherClinician: otherClinician.token,
      operator: operator.token,
    };
    const checked: string[] = [];
    for (const { method, path } of routes) {
      const rule = policy(method, path);
      const sensorRoute = /\/sensor$/.test(path);
      const concrete = path
        .replace('{deviceId}', sensorRoute ? SENSOR : EEG)
        .replace(/^\/api\/sessions\/\{id\}/, `/api/sessions/${sessionId ?? 'no-such-session'}`)
        .replace(/^\/api\/users\/\{id\}/, method === 'delete' ? '/api/users/999999' : `/api/users/${otherClinician.user.id}`)
        .replace(/\{[^}]+\}/g, 'no-such-id');
      const call = (token?: string) =>
        fetch(server.url + concrete, {
          method: method.toUpperCase(),
          headers: { ...(token ? bearer(token) : {}), ...(method === 'get' || method === 'delete' ? {} : { 'content-type': 'application/json' }) },
          body: method === 'get' || method === 'delete' ? undefined : JSON.stringify({ deviceId: EEG, subject: 'auth test' }),
        });
      const label = `${method.toUpperCase()} ${concrete}`;
      if (rule.public) {
        checked.push(`${label}: public`);
        continue;
      }
      expect([label, (await call()).status]).toEqual([label, 401]);
      expect([label, (await call('not.a.token')).status]).toEqual([label, 401]);
      // The scoped EEG routes also refuse a clinician who is not assigned to the device.
      // (POST /api/sessions names the device in its body; made-up model ids resolve to no device.)
      const deviceScoped = (/\{deviceId\}|\/sessions\/\{id\}/.test(path) || (path === '/api/sessions' && method === 'post')) && !sensorRoute;
      const who: [keyof typeof users, boolean][] = [
        ['operator', rule.roles.includes('operator')],
        ['otherClinician', rule.roles.includes('clinician') && !deviceScoped],
        ['clinician', rule.roles.includes('clinician')],
      ];
      // Refused callers first: a permitted DELETE removes the resource. Admin last of all.
      who.sort((a, b) => Number(a[1]) - Number(b[1]));
      for (const [name, allowed] of who) {
        const status = (await call(users[name])).status;
        if (allowed) expect([label, name, status, status === 401 || status === 403]).toEqual([label, name, status, false]);
        else expect([label, name, status]).toEqual([label, name, 403]);
      }
      const adminStatus = (await call(users.admin)).status;
      expect([label, 'admin', adminStatus, adminStatus === 401 || adminStatus === 403]).toEqual([label, 'admin', adminStatus, false]);
      checked.push(`${label}: ${rule.roles.join('/')}`);
    }
    // The routes this issue names are all among them.
    for (const p of ['/api/devices', '/api/devices/{deviceId}/eeg', '/api/devices/{deviceId}/sensor', '/api/rejected', '/api/alerts', '/api/alert-rules', '/api/alert-rules/{id}', '/api/alert-rules/check', '/api/users', '/api/audit']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('filters GET /api/devices by role', async () => {
    const ids = async (f: (p: string) => Promise<Response>) => ((await (await f('/api/devices')).json()) as { deviceId: string }[]).map((d) => d.deviceId).sort();
    expect(await ids(authedFetch(server.url, admin.accessToken))).toEqual([EEG, SENSOR].sort());
    expect(await ids(clinician.fetch)).toEqual([EEG]);
    expect(await ids(otherClinician.fetch)).toEqual([]);
    expect(await ids(operator.fetch)).toEqual([SENSOR]);
  });

  it('refuses expired, tampered, foreign-secret and alg:none tokens', async () => {
    const me = (token: string) => fetch(`${server.url}/api/auth/me`, { headers: bearer(token) }).then((r) => r.status);
    expect(await me(admin.accessToken)).toBe(200);
    const claims = { sub: String(admin.user.id), role: 'admin' as const, name: 'admin' };
    expect(await me(signAccessToken(TEST_AUTH_SECRET, claims, 60).token)).toBe(200);
    expect(await me(signAccessToken(TEST_AUTH_SECRET, claims, -1).token)).toBe(401);
    expect(await me(signAccessToken('some-other-secret-some-other-secret-00', claims, 60).token)).toBe(401);
    const [h, p, s] = admin.accessToken.split('.');
    const i = 12;
    const flipped = p.slice(0, i) + (p[i] === 'A' ? 'B' : 'A') + p.slice(i + 1);
    expect(await me(`${h}.${flipped}.${s}`)).toBe(401);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await me(`${none}.${p}.`)).toBe(401);
    // A role raised in the payload breaks the signature.
    const payload = JSON.parse(Buffer.from(clinician.token.split('.')[1], 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    const [ch, , cs] = clinician.token.split('.');
    expect(await me(`${ch}.${raised}.${cs}`)).toBe(401);
  });

  it('expires access tokens after BCI_ACCESS_TOKEN_TTL_S; grants CORS only to BCI_CORS_ORIGINS', async () => {
    const short = await startServer({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      BCI_ACCESS_TOKEN_TTL_S: '2',
      BCI_CONSUMER_PREFIX: 'bci-auth-ttl',
      BCI_CORS_ORIGINS: 'https://dash.example, https://ops.example',
    });
    try {
      const preflight = (origin: string) =>
        fetch(`${short.url}/api/devices`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      const allowed = await preflight('https://ops.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const pair = await loginAdmin(short.url);
      expect(pair.expiresIn).toBe(2);
      expect((await fetch(`${short.url}/api/auth/me`, { headers: bearer(pair.accessToken) })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3_100));
      expect((await fetch(`${short.url}/api/auth/me`, { headers: bearer(pair.accessToken) })).status).toBe(401);
    } finally {
      await short.kill();
    }
  });

  it('rotates refresh tokens: a used one is refused, and replaying it ends the session family', async () => {
    const refresh = (token: string) => fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: token }) });
    const first = await login(server.url, operator.user.username, operator.password);
    const r1 = await refresh(first.refreshToken);
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as TokenPair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.username).toBe(operator.user.username);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: bearer(second.accessToken) })).status).toBe(200);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    // The replay revoked the newer token too.
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await refresh('made-up')).status).toBe(401);
    // Logout revokes.
    const third = await login(server.url, operator.user.username, operator.password);
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(third.accessToken) }, body: JSON.stringify({ refreshToken: third.refreshToken }) });
    expect(out.status).toBe(204);
    expect((await refresh(third.refreshToken)).status).toBe(401);
  });

  it('a disabled user is refused at once; a demoted user loses the role at once', async () => {
    const u = await createUser(server.url, 'operator', [], { adminToken: admin.accessToken });
    const asAdmin = authedFetch(server.url, admin.accessToken);
    expect((await u.fetch('/api/alerts')).status).toBe(200);
    expect((await asAdmin(`/api/users/${u.user.id}`, { method: 'PATCH', body: { role: 'clinician' } })).status).toBe(200);
    expect((await u.fetch('/api/alerts')).status).toBe(403);
    expect((await asAdmin(`/api/users/${u.user.id}`, { method: 'PATCH', body: { disabled: true } })).status).toBe(200);
    expect((await u.fetch('/api/auth/me')).status).toBe(401);
    expect((await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.user.username, password: u.password }) })).status).toBe(401);
    // The last admin cannot be demoted; users are deleted.
    expect((await asAdmin(`/api/users/${admin.user.id}`, { method: 'PATCH', body: { role: 'operator' } })).status).toBe(409);
    expect((await asAdmin(`/api/users/${u.user.id}`, { method: 'DELETE' })).status).toBe(204);
    const list = (await (await asAdmin('/api/users')).json()) as UserView[];
    expect(list.map((x) => x.username)).not.toContain(u.user.username);
    expect(list.find((x) => x.username === clinician.user.username)?.deviceIds).toEqual([EEG]);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i);
  });

  it('throttles failed logins per username and address: 429 with Retry-After, even for the right password', async () => {
    const u = await createUser(server.url, 'operator', [], { adminToken: admin.accessToken });
    const attempt = (password: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.user.username, password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const limited = await attempt(u.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another user from the same address is not affected.
    expect((await login(server.url, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken).toBeTruthy();
  });

  it('sends secure headers and no CORS grant to foreign origins by default', async () => {
    const res = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('records logins (success and failure), logouts and user management in GET /api/audit', async () => {
    const asAdmin = authedFetch(server.url, admin.accessToken);
    const entries = async (q: string) => (await (await asAdmin(`/api/audit?${q}`)).json()) as AuditEntry[];
    const logins = await entries(`actor=${operator.user.username}&action=login`);
    expect(logins.length).toBeGreaterThanOrEqual(1);
    expect(logins[0]).toMatchObject({ actor: operator.user.username, action: 'login', target: operator.user.username });
    expect(Date.now() - Date.parse(logins[0].at)).toBeLessThan(120_000);
    expect((await entries('action=login_failed')).length).toBeGreaterThanOrEqual(5);
    expect((await entries(`action=logout&actor=${operator.user.username}`)).length).toBe(1);
    const created = await entries('action=user.create&actor=admin');
    expect(created.map((e) => e.target)).toContain(clinician.user.username);
    // The guard test deleted the session as the assigned clinician.
    if (sessionId) expect(await entries('action=session.delete')).toEqual([expect.objectContaining({ actor: clinician.user.username, target: sessionId })]);
    expect(await entries(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect((await asAdmin('/api/audit?from=yesterday')).status).toBe(400);
    expect((await operator.fetch('/api/audit')).status).toBe(403);
  });
});

