import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { NatsModule } from './nats/nats.module';
import { IngestModule } from './ingest/ingest.module';
import { QueryModule } from './query/query.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { PipelineModule } from './pipeline/pipeline.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
      imports: [DatabaseModule, AuthModule, NatsModule, IngestModule, QueryModule, HealthModule, LiveModule, AlertsModule, PipelineModule],
    };
  }
}
