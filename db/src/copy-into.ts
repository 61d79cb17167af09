import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Streams a binary COPY payload into `table (columns)`. */
export async function copyBinaryInto(client: ClientBase, table: string, columns: readonly string[], payload: Buffer): Promise<void> {
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT binary)`));
  await pipeline(Readable.from([payload]), sink);
}
