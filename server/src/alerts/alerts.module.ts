import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { LiveModule } from '../live/live.module';
import { AlertsController } from './alerts.controller';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesRepository } from './alert-rules.repository';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { OutboxDispatcher } from './outbox.dispatcher';
import { ALERTS_CONFIG } from './alerts.tokens';
import { loadAlertsConfig } from './alerts.config';

@Module({
  imports: [IngestModule, LiveModule],
  controllers: [AlertsController, AlertRulesController],
  providers: [
    { provide: ALERTS_CONFIG, useFactory: () => loadAlertsConfig() },
    AlertsRepository,
    AlertRulesRepository,
    AlertsService,
    OutboxDispatcher,
  ],
})
export class AlertsModule {}
