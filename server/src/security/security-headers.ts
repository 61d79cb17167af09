// Secure response headers on everything the server sends (API, dashboard, docs), without
// helmet: the handful that matter for a same-origin single-page app.

interface Req {
  path: string;
}
interface Res {
  setHeader(name: string, value: string): void;
}

/** The dashboard: own scripts only; inline style attributes (Svelte sets some); data: icons; same-origin API and socket.io. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Swagger UI (api/docs) needs inline styles and its own init script (served as a file). */
const DOCS_CSP = DASHBOARD_CSP.replace("img-src 'self' data: blob:", "img-src 'self' data: https:");

export function securityHeaders() {
  return (req: Req, res: Res, next: () => void): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    res.setHeader('Content-Security-Policy', req.path.startsWith('/api/docs') ? DOCS_CSP : DASHBOARD_CSP);
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/**
 * CORS from BCI_CORS_ORIGINS (comma list of origins). Empty: no cross-origin access at all
 * (the dashboard is served from the same origin and needs none).
 */
export function corsOptions(origins: string[]): { origin: string[] | false; credentials: false; allowedHeaders: string[]; methods: string[]; maxAge: number } {
  return {
    origin: origins.length ? origins : false,
    credentials: false,
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept'],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
  };
}

export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.BCI_CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
