import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { enforceRetention } from '@bci/db';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from './database.service';

/** On plain PostgreSQL, does hourly what TimescaleDB's retention policy does inside the database. */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private readonly log = new Logger('Retention');

  constructor(
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.db.flavour === 'timescale') return;
    this.timer = setInterval(() => void this.run(), 3_600_000);
    this.timer.unref();
  }

  async run(): Promise<number> {
    const client = await this.db.pool.connect();
    try {
      const deleted = await enforceRetention(client, this.db.flavour, this.config.retention);
      if (deleted) this.log.log(`deleted ${deleted} expired rows`);
      return deleted;
    } catch (err) {
      this.log.warn(`retention run failed: ${(err as Error).message}`);
      return 0;
    } finally {
      client.release();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
