// Serves the built dashboard (dashboard/dist) on the server's own port, with an SPA fallback:
// any GET that is not /api or /socket.io and matches no file gets index.html.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

// The few parts of express's request/response used here (express ships no types in this repo).
interface Req {
  method: string;
  path: string;
}
interface Res {
  setHeader(name: string, value: string): void;
  sendFile(file: string): void;
}

export const DEFAULT_DASHBOARD_DIR = path.resolve(__dirname, '..', '..', '..', 'dashboard', 'dist');

export function serveDashboard(app: NestExpressApplication, dir = process.env.BCI_DASHBOARD_DIR ?? DEFAULT_DASHBOARD_DIR): boolean {
  const log = new Logger('Dashboard');
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    log.log(`no dashboard build at ${dir}; run \`npm run build -w dashboard\` to serve it here`);
    return false;
  }
  // Hashed assets can be cached for long; index.html must always be revalidated.
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Req, res: Res, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(api|socket\.io)(\/|$)/.test(req.path)) return next();
    // Only page navigations fall back to the app; a missing asset stays a 404.
    if (path.extname(req.path) && req.path !== '/index.html') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  log.log(`serving the dashboard from ${dir}`);
  return true;
}
