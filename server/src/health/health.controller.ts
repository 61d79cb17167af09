import { Controller, Get, Inject } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { NatsService } from '../nats/nats.service';
import { IngestStats } from '../ingest/ingest.stats';
import { IngestConsumer } from '../ingest/ingest.consumer';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Public } from '../auth/decorators';

@Public()
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly db: DatabaseService,
    private readonly nats: NatsService,
    private readonly stats: IngestStats,
    private readonly ingest: IngestConsumer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async health() {
    let database = 'ok';
    try {
      await this.db.pool.query('SELECT 1');
    } catch (err) {
      database = (err as Error).message;
    }
    const nats = this.nats.nc.isClosed() ? 'closed' : 'ok';
    // Which devices this process owns, and how far behind each of its consumers is.
    const consumers = nats === 'ok' ? await this.ingest.consumerLag() : [];
    return {
      status: database === 'ok' && nats === 'ok' ? 'ok' : 'degraded',
      database,
      flavour: this.db.flavour,
      nats,
      ingest: this.stats.byKind,
      partitions: this.config.partitions,
      consumers,
    };
  }
}
