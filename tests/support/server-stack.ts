// What most integration tests start: a private nats-server, a fresh database, the real server
// process on them, and a NATS and a PostgreSQL client for the test itself; stop() undoes it all.
import { Client } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { startNats, type PrivateNats } from './nats-server';
import { createTestDatabase, type TestDatabase } from './pg';
import { startServer, type ServerProcess } from './server-process';

export interface ServerStack {
  nats: PrivateNats;
  db: TestDatabase;
  /** A test may restart the server and put the new process here; stop() kills whichever is current. */
  server: ServerProcess;
  nc: NatsConnection;
  js: JetStreamClient;
  pg: Client;
  stop(): Promise<void>;
}

export async function startServerStack(env: Record<string, string> = {}): Promise<ServerStack> {
  const nats = await startNats();
  const db = await createTestDatabase();
  const server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url, ...env });
  const nc = await connect({ servers: nats.url });
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const stack: ServerStack = {
    nats,
    db,
    server,
    nc,
    js: jetstream(nc),
    pg,
    async stop() {
      await pg.end().catch(() => undefined);
      await nc.close().catch(() => undefined);
      await stack.server.kill();
      await nats.stop();
      await db.drop();
    },
  };
  return stack;
}
