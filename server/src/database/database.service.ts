import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { configureRetention, runMigrations, type Flavour } from '@bci/db';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** The connection pool, migrated before anything else starts. */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  readonly pool: Pool;
  private flavourValue: Flavour = 'plain';
  private readonly log = new Logger('Database');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client losing its connection (database restart) must not crash the process.
    this.pool.on('error', (err) => this.log.warn(`idle database client failed: ${err.message}`));
    // A checked-out client whose connection drops between two queries emits 'error' too, and
    // an unhandled 'error' event would kill the process; its next query fails instead.
    this.pool.on('connect', (client) => client.on('error', (err) => this.log.warn(`database connection lost: ${err.message}`)));
  }

  get flavour(): Flavour {
    return this.flavourValue;
  }

  async onModuleInit(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { flavour, applied } = await runMigrations(client);
      this.flavourValue = flavour;
      await configureRetention(client, flavour, this.config.retention);
      this.log.log(`database ready (${flavour}); ${applied.length} migration(s) applied`);
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
