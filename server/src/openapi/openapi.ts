import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the REST API description: interactive at /api/docs, raw at /api/docs-json. */
export function serveOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('BCI DataFlow')
      .setDescription('Devices, EEG and sensor history, dead letters, alerts, users, audit and health; access control by role (admin, clinician, operator). Live data: socket.io namespace /live (see shared/README.md).')
      .setVersion('0.1.0')
      // Every route needs `Authorization: Bearer <access token>` (POST /api/auth/login) except
      // login, refresh, logout and health.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
