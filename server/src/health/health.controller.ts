import { Controller, Get } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { NatsService } from '../nats/nats.service';
import { IngestStats } from '../ingest/ingest.stats';
import { Public } from '../auth/decorators';

@Public()
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly db: DatabaseService,
    private readonly nats: NatsService,
    private readonly stats: IngestStats,
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
    return { status: database === 'ok' && nats === 'ok' ? 'ok' : 'degraded', database, flavour: this.db.flavour, nats, ingest: this.stats.byKind };
  }
}
