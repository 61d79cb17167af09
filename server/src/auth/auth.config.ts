// Access-control settings from the environment (see the README's access-control section).
import { randomBytes } from 'node:crypto';
import { corsOriginsFromEnv } from '../security/security-headers';

export interface AuthConfig {
  secret: Buffer;
  /** True when BCI_AUTH_SECRET was unset and a per-process secret was drawn. */
  ephemeralSecret: boolean;
  accessTtlS: number;
  refreshTtlS: number;
  adminUser?: string;
  adminPassword?: string;
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Allowed cross-origin origins; empty: same origin only. */
  corsOrigins: string[];
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw} must be an integer >= ${min}`);
  return n;
}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = env.BCI_AUTH_SECRET;
  if (raw !== undefined && raw !== '' && raw.length < 32) throw new Error('BCI_AUTH_SECRET must be at least 32 characters');
  return {
    secret: raw ? Buffer.from(raw, 'utf8') : randomBytes(32),
    ephemeralSecret: !raw,
    accessTtlS: int(env, 'BCI_ACCESS_TOKEN_TTL_S', 900),
    refreshTtlS: int(env, 'BCI_REFRESH_TOKEN_TTL_S', 7 * 24 * 3600),
    adminUser: env.BCI_ADMIN_USER || undefined,
    adminPassword: env.BCI_ADMIN_PASSWORD || undefined,
    loginMaxFailures: int(env, 'BCI_LOGIN_MAX_FAILURES', 5),
    loginWindowMs: int(env, 'BCI_LOGIN_WINDOW_S', 15 * 60) * 1000,
    corsOrigins: corsOriginsFromEnv(env),
  };
}
