// One write per flush instead of one per socket.io packet.
//
// engine.io's WebSocket transport sends each queued packet as its own ws frame, and ws writes
// each frame with its own syscall (a writev of header + payload). While a write is in flight
// engine.io queues later packets and then flushes them together, so under load a flush holds many
// packets (a dashboard watching 64 devices gets ~400 events a second) — and profiling the live
// pipeline at 150 devices showed these writes costing a sixth of the server thread's time. Corking
// the TCP socket for the duration of one flush turns the flush into a single writev. Frames and
// their order are unchanged; only the number of syscalls drops.
//
// This reaches into engine.io's transport (`send`, `socket`) and ws's `_socket`; if either is
// missing (another transport, a different version) the socket is left as it is.
import type { Socket } from 'socket.io';

interface Corkable {
  cork(): void;
  uncork(): void;
}

interface EngineTransport {
  name?: string;
  send?: (packets: unknown[]) => void;
  socket?: { _socket?: Partial<Corkable> };
  __bciCoalesced?: true;
}

function wrap(transport: EngineTransport): void {
  if (transport.name !== 'websocket' || transport.__bciCoalesced || typeof transport.send !== 'function') return;
  const raw = transport.socket?._socket;
  if (typeof raw?.cork !== 'function' || typeof raw.uncork !== 'function') return;
  const tcp = raw as Corkable;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    if (packets.length < 2) return send(packets);
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
  transport.__bciCoalesced = true;
}

/** Makes every flush of this socket's WebSocket transport (now, or after an upgrade from polling) one write. */
export function coalesceWebSocketFrames(socket: Socket): void {
  const conn = socket.conn as unknown as { transport?: EngineTransport; on(event: 'upgrade', fn: (t: EngineTransport) => void): void };
  if (conn.transport) wrap(conn.transport);
  conn.on('upgrade', (t) => wrap(t));
}
