// The hand-written HS256 signer/verifier and the scrypt password hashes.
import { createHmac } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from '../../server/src/auth/jwt';
import { hashPassword, verifyPassword } from '../../server/src/auth/password';

const SECRET = 'unit-test-secret-unit-test-secret-0123';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('access tokens (HS256)', () => {
  it('round-trips sub, role, name, iat, exp and a unique jti', () => {
    const a = signAccessToken(SECRET, { sub: '7', role: 'clinician', name: 'dr' }, 900, 1_000);
    const b = signAccessToken(SECRET, { sub: '7', role: 'clinician', name: 'dr' }, 900, 1_000);
    const claims = verifyAccessToken(SECRET, a.token, 1_500);
    expect(claims).toMatchObject({ sub: '7', role: 'clinician', name: 'dr', iat: 1_000, exp: 1_900 });
    expect(a.claims.jti).not.toBe(b.claims.jti);
    const [h] = a.token.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('is a standard JWT: the signature is HMAC-SHA256 of header.payload', () => {
    const { token } = signAccessToken(SECRET, { sub: '1', role: 'admin', name: 'a' }, 60);
    const [h, p, s] = token.split('.');
    expect(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url')).toBe(s);
  });

  it('refuses expired tokens, other secrets, tampered payloads, alg none and junk', () => {
    const { token } = signAccessToken(SECRET, { sub: '1', role: 'operator', name: 'op' }, 60, 1_000);
    expect(verifyAccessToken(SECRET, token, 1_059)).toBeDefined();
    expect(verifyAccessToken(SECRET, token, 1_060)).toBeUndefined();
    expect(verifyAccessToken('another-secret-another-secret-0000', token, 1_010)).toBeUndefined();
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(verifyAccessToken(SECRET, `${h}.${b64({ ...payload, role: 'admin' })}.${s}`, 1_010)).toBeUndefined();
    // One flipped character anywhere in the payload.
    const flipped = p.slice(0, 10) + (p[10] === 'A' ? 'B' : 'A') + p.slice(11);
    expect(verifyAccessToken(SECRET, `${h}.${flipped}.${s}`, 1_010)).toBeUndefined();
    expect(verifyAccessToken(SECRET, `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, 1_010)).toBeUndefined();
    expect(verifyAccessToken(SECRET, `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`, 1_010)).toBeUndefined();
    // HS256 header but a signature made for a different header.
    expect(verifyAccessToken(SECRET, `${b64({ alg: 'HS256' })}.${p}.${s}`, 1_010)).toBeUndefined();
    for (const junk of [undefined, '', 'a.b', 'a.b.c', `${h}.${p}`, 42, `${token}.x`]) expect(verifyAccessToken(SECRET, junk, 1_010)).toBeUndefined();
  });

  it('refuses a correctly signed token without exp or with an unknown role', () => {
    const sign = (payload: unknown) => {
      const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
      return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    };
    expect(verifyAccessToken(SECRET, sign({ sub: '1', role: 'admin', name: 'a', iat: 1, jti: 'x' }), 10)).toBeUndefined();
    expect(verifyAccessToken(SECRET, sign({ sub: '1', role: 'root', name: 'a', iat: 1, exp: 100, jti: 'x' }), 10)).toBeUndefined();
    expect(verifyAccessToken(SECRET, sign({ sub: '1', role: 'admin', name: 'a', iat: 1, exp: 100, jti: 'x' }), 10)).toBeDefined();
  });
});

describe('passwords (scrypt)', () => {
  it('stores parameters and a random salt with the hash and verifies only the right password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies hashes made with other parameters and refuses malformed ones', async () => {
    const cheap = 'scrypt$1024$8$1$' + Buffer.from('saltsaltsaltsalt').toString('base64url') + '$';
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('pw123456', Buffer.from('saltsaltsaltsalt'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url');
    expect(await verifyPassword('pw123456', cheap + key)).toBe(true);
    expect(await verifyPassword('pw123456', 'plain$pw123456')).toBe(false);
    expect(await verifyPassword('pw123456', 'scrypt$99999999$8$1$AA$AA')).toBe(false);
  });
});
