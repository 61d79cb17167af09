// PostgreSQL binary COPY encoder. Binary COPY skips text parsing on the server and hex
// encoding of bytea on our side: for EEG chunks (kilobytes of float32 per row) it is the
// cheapest way in. Format: https://www.postgresql.org/docs/current/sql-copy.html (Binary Format).

export type CopyType = 'text' | 'int4' | 'int8' | 'float8' | 'timestamptz' | 'bytea' | 'jsonb';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01T00:00:00Z). */
const PG_EPOCH_US = 946_684_800_000_000n;

export class BinaryCopyEncoder {
  private parts: Buffer[] = [];
  private rows = 0;

  constructor(private readonly types: readonly CopyType[]) {
    const header = Buffer.alloc(SIGNATURE.length + 8);
    SIGNATURE.copy(header);
    this.parts.push(header); // flags and header-extension length are both zero
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Adds a row; null becomes SQL NULL. timestamptz takes microseconds since the Unix epoch. */
  addRow(values: readonly unknown[]): void {
    if (values.length !== this.types.length) throw new Error(`row has ${values.length} values, table has ${this.types.length} columns`);
    const head = Buffer.allocUnsafe(2);
    head.writeInt16BE(values.length);
    this.parts.push(head);
    for (let i = 0; i < values.length; i++) this.parts.push(...encodeField(this.types[i], values[i]));
    this.rows++;
  }

  /** The whole COPY payload, trailer included. */
  finish(): Buffer {
    const trailer = Buffer.alloc(2);
    trailer.writeInt16BE(-1);
    return Buffer.concat([...this.parts, trailer]);
  }
}

function withLength(body: Buffer): Buffer[] {
  const len = Buffer.allocUnsafe(4);
  len.writeInt32BE(body.length);
  return [len, body];
}

function fixed(size: number, write: (b: Buffer) => void): Buffer[] {
  const b = Buffer.allocUnsafe(4 + size);
  b.writeInt32BE(size, 0);
  write(b.subarray(4));
  return [b];
}

function encodeField(type: CopyType, v: unknown): Buffer[] {
  if (v === null || v === undefined) {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(-1);
    return [b];
  }
  switch (type) {
    case 'text':
      return withLength(Buffer.from(String(v), 'utf8'));
    case 'jsonb':
      return withLength(Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify(v), 'utf8')]));
    case 'bytea': {
      const u = v as Uint8Array;
      return withLength(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
    }
    case 'int4':
      return fixed(4, (b) => b.writeInt32BE(v as number));
    case 'int8':
      return fixed(8, (b) => b.writeBigInt64BE(BigInt(v as number | bigint)));
    case 'float8':
      return fixed(8, (b) => b.writeDoubleBE(v as number));
    case 'timestamptz': {
      const us = v instanceof Date ? BigInt(v.getTime()) * 1000n : BigInt(Math.round(v as number));
      return fixed(8, (b) => b.writeBigInt64BE(us - PG_EPOCH_US));
    }
  }
}
