// HS256 JSON Web Tokens with node:crypto only: base64url(header).base64url(payload).base64url(HMAC-SHA256).
// Verification accepts exactly {"alg":"HS256"} (never `none`), compares the signature in
// constant time and requires a numeric, future `exp`.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '@bci/shared';

export interface AccessClaims {
  /** The user's id, as a string (RFC 7519). */
  sub: string;
  role: Role;
  /** The username, for logs and the audit trail. */
  name: string;
  iat: number;
  exp: number;
  jti: string;
}

const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

function hmac(secret: Buffer | string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signAccessToken(
  secret: Buffer | string,
  claims: { sub: string; role: Role; name: string },
  ttlS: number,
  nowS = Math.floor(Date.now() / 1000),
): { token: string; claims: AccessClaims } {
  const full: AccessClaims = { ...claims, iat: nowS, exp: nowS + ttlS, jti: randomUUID() };
  const body = `${HEADER}.${b64url(Buffer.from(JSON.stringify(full)))}`;
  return { token: `${body}.${b64url(hmac(secret, body))}`, claims: full };
}

/** The claims of a valid, unexpired token; undefined for anything else. */
export function verifyAccessToken(secret: Buffer | string, token: unknown, nowS = Math.floor(Date.now() / 1000)): AccessClaims | undefined {
  if (typeof token !== 'string' || token.length > 4096) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts;
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'HS256') return undefined;
  const expected = hmac(secret, `${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  // Re-encoding must give back the same text: no alternative encodings of one signature.
  if (b64url(given) !== s) return undefined;
  const c = payload as Partial<AccessClaims>;
  if (!c || typeof c !== 'object') return undefined;
  if (typeof c.sub !== 'string' || typeof c.name !== 'string' || typeof c.jti !== 'string') return undefined;
  if (!ROLES.includes(c.role as Role)) return undefined;
  if (typeof c.exp !== 'number' || typeof c.iat !== 'number' || !(c.exp > nowS)) return undefined;
  return c as AccessClaims;
}
