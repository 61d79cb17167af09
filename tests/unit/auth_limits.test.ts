// Login throttling (pure, time passed in), the device-access rule and the secure headers.
import { LoginLimiter } from '@bci/streams/ratelimit';
import { DeviceAccess } from '../../server/src/auth/device-access.service';
import { corsOptions, DASHBOARD_CSP, securityHeaders } from '../../server/src/security/security-headers';

describe('login limiter', () => {
  const MIN = 60_000;
  it('allows 5 failures in 15 minutes, then refuses with the time until the oldest failure expires', () => {
    const l = new LoginLimiter({ maxFailures: 5, windowMs: 15 * MIN });
    const k = LoginLimiter.key('Alice', '10.0.0.1');
    for (let i = 0; i < 5; i++) {
      expect(l.check(k, i * MIN).allowed).toBe(true);
      l.fail(k, i * MIN);
    }
    expect(l.check(k, 5 * MIN)).toEqual({ allowed: false, retryAfterS: 10 * 60 });
    expect(l.check(k, 15 * MIN - 1)).toEqual({ allowed: false, retryAfterS: 1 });
    // The first failure leaves the window: one more attempt.
    expect(l.check(k, 15 * MIN).allowed).toBe(true);
  });

  it('keys by username (case-insensitive) and address; success forgets failures', () => {
    const l = new LoginLimiter({ maxFailures: 2, windowMs: MIN });
    const k = LoginLimiter.key('bob', '1.1.1.1');
    expect(LoginLimiter.key(' BOB ', '1.1.1.1')).toBe(k);
    l.fail(k, 0);
    l.fail(k, 1);
    expect(l.check(k, 2).allowed).toBe(false);
    expect(l.check(LoginLimiter.key('bob', '2.2.2.2'), 2).allowed).toBe(true);
    expect(l.check(LoginLimiter.key('carol', '1.1.1.1'), 2).allowed).toBe(true);
    l.succeed(k);
    expect(l.check(k, 3).allowed).toBe(true);
  });

  it('forgets the stalest keys beyond its bound', () => {
    const l = new LoginLimiter({ maxFailures: 1, windowMs: MIN, maxKeys: 2 });
    l.fail('a', 0);
    l.fail('b', 0);
    l.fail('c', 0);
    expect(l.check('a', 1).allowed).toBe(true);
    expect(l.check('c', 1).allowed).toBe(false);
  });
});

describe('device access rule', () => {
  const clinician = { role: 'clinician' as const, deviceIds: ['hs-1'] };
  const operator = { role: 'operator' as const, deviceIds: [] };
  const admin = { role: 'admin' as const, deviceIds: [] };
  it('admins see everything, clinicians their assigned EEG devices, operators non-EEG devices', () => {
    expect(DeviceAccess.allows(admin, 'x', 'eeg')).toBe(true);
    expect(DeviceAccess.allows(clinician, 'hs-1', 'eeg')).toBe(true);
    expect(DeviceAccess.allows(clinician, 'hs-2', 'eeg')).toBe(false);
    expect(DeviceAccess.allows(clinician, 'hs-1', 'sensor')).toBe(false);
    expect(DeviceAccess.allows(operator, 'pump', 'sensor')).toBe(true);
    expect(DeviceAccess.allows(operator, 'hs-1', 'eeg')).toBe(false);
  });
});

describe('secure headers', () => {
  it('sets nosniff, frame denial, no referrer, COOP and a CSP without inline scripts', () => {
    const headers: Record<string, string> = {};
    let next = false;
    securityHeaders()({ path: '/api/devices' }, { setHeader: (k, v) => (headers[k] = v) }, () => (next = true));
    expect(next).toBe(true);
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    expect(headers['Content-Security-Policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
  });

  it('CORS: same-origin only by default, else the listed origins', () => {
    expect(corsOptions([]).origin).toBe(false);
    expect(corsOptions(['https://a.example']).origin).toEqual(['https://a.example']);
  });
});
