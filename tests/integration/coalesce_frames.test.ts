// The gateway's write coalescing (server/src/live/coalesce-frames.ts) with a real socket.io server
// and client: a burst of events still arrives complete and in order, in far fewer TCP writes
// than events (without it, engine.io's WebSocket transport writes every packet on its own), and
// an event emitted just before the server disconnects the socket still arrives.
import * as http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { coalesceWebSocketFrames } from '../../server/src/live/coalesce-frames';
import { waitFor } from '../support/wait';

const EVENTS = 2_000;

/** Serves one socket.io endpoint; counts the TCP writes made to each connection. */
async function burst(coalesce: boolean): Promise<{ received: number[]; writes: number; lastWords: string | null }> {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { transports: ['websocket'] });
  let writes = 0;
  const connected = new Promise<Socket>((resolve) =>
    server.on('connection', (socket) => {
      if (coalesce) coalesceWebSocketFrames(socket);
      // Count what reaches the kernel: net.Socket's _write (one buffer) and _writev (several).
      const tcp = (socket.conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket._socket as NetSocket & Record<string, (...a: unknown[]) => unknown>;
      for (const m of ['_write', '_writev']) {
        const orig = tcp[m].bind(tcp);
        tcp[m] = (...a: unknown[]) => {
          writes++;
          return orig(...a);
        };
      }
      resolve(socket);
    }),
  );
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const { port } = httpServer.address() as AddressInfo;
  const client: ClientSocket = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  const received: number[] = [];
  client.on('tick', (i: number) => received.push(i));
  let lastWords: string | null = null;
  client.on('bye', (m: string) => (lastWords = m));
  try {
    const socket = await connected;
    await waitFor(() => client.connected, 5_000, 'client connected');
    writes = 0;
    for (let i = 0; i < EVENTS; i++) socket.emit('tick', i);
    await waitFor(() => received.length >= EVENTS, 10_000, 'all events');
    const disconnected = new Promise<void>((r) => client.once('disconnect', () => r()));
    socket.emit('bye', 'closing');
    socket.disconnect(true);
    await disconnected;
    return { received, writes, lastWords };
  } finally {
    client.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('coalesced WebSocket frames', () => {
  it('delivers a burst complete and in order in far fewer writes, and what was sent before a disconnect', async () => {
    const plain = await burst(false);
    const coalesced = await burst(true);
    const inOrder = Array.from({ length: EVENTS }, (_, i) => i);
    expect(plain.received).toEqual(inOrder);
    expect(coalesced.received).toEqual(inOrder);
    expect(plain.lastWords).toBe('closing');
    expect(coalesced.lastWords).toBe('closing');
    // Without it every event is a write of its own; with it, each engine.io flush is one.
    expect(plain.writes).toBeGreaterThanOrEqual(EVENTS);
    expect(coalesced.writes).toBeLessThan(plain.writes / 10);
  });
});
