import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { AppModule } from './app.module';
import { loadConfig } from './config/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { serveDashboard } from './dashboard/serve-dashboard';
import { serveOpenApi } from './openapi/openapi';
import { corsOptions, corsOriginsFromEnv, securityHeaders } from './security/security-headers';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { bufferLogs: false });
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.enableCors(corsOptions(corsOriginsFromEnv()));
  serveOpenApi(app);
  serveDashboard(app);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  // PORT=0 picks a free port; log the real one (tests and the demo read this line).
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('Server').log(`listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`);
}

// Input never crashes the server; a bug that escapes a handler is logged, not fatal.
process.on('unhandledRejection', (err) => new Logger('Server').error(`unhandled rejection: ${(err as Error)?.stack ?? err}`));

bootstrap().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
