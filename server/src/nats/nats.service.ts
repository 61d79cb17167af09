import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { streamConfigs } from './streams';

/** One NATS connection for the process; reconnects forever, streams created idempotently. */
@Injectable()
export class NatsService implements OnModuleInit, OnApplicationShutdown {
  private connection?: NatsConnection;
  private manager?: JetStreamManager;
  private client?: JetStreamClient;
  private readonly log = new Logger('Nats');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS not connected yet');
    return this.connection;
  }
  get js(): JetStreamClient {
    if (!this.client) throw new Error('NATS not connected yet');
    return this.client;
  }
  get jsm(): JetStreamManager {
    if (!this.manager) throw new Error('NATS not connected yet');
    return this.manager;
  }

  async onModuleInit(): Promise<void> {
    this.connection = await connect({
      servers: this.config.natsUrl,
      ...(this.config.natsUser ? { user: this.config.natsUser, pass: this.config.natsPassword } : {}),
      name: 'bci-server',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
    });
    void (async () => {
      for await (const s of this.connection!.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect') this.log.warn(`NATS ${s.type}`);
      }
    })();
    this.manager = await jetstreamManager(this.connection);
    this.client = jetstream(this.connection);
    for (const cfg of streamConfigs()) {
      try {
        await this.manager.streams.info(cfg.name!);
        await this.manager.streams.update(cfg.name!, cfg);
      } catch (err) {
        if (!/stream not found/i.test((err as Error).message)) throw err;
        await this.manager.streams.add(cfg);
      }
    }
    this.log.log(`connected to ${this.config.natsUrl}; streams ready`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
  }
}
