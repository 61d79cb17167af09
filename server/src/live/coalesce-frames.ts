// One write per event-loop turn instead of one per socket.io packet.
//
// engine.io's WebSocket transport sends each packet as its own ws frame, and ws writes each
// frame with its own syscall (a writev of header + payload). A dashboard watching 64 devices
// gets ~400 events a second, mostly one at a time, and profiling the live pipeline at 150
// devices showed these writes costing a sixth of the server thread's time. So the transport's
// send is deferred to the end of the current event-loop turn (setImmediate) and marked busy
// meanwhile: engine.io then queues every later packet of this turn in its write buffer, and
// sends them all when the deferred write drains. The TCP socket is corked around each send, so
// the packets of one send leave in a single writev. Frames and their order are unchanged; an
// event waits at most for the rest of the turn (well under a millisecond of work).
//
// This reaches into engine.io's transport (`send`, `writable`, `socket`) and ws's `_socket`; if
// any is missing (another transport, a different version) the socket is left as it is.
import type { Socket } from 'socket.io';

interface Corkable {
  cork(): void;
  uncork(): void;
}

interface EngineTransport {
  name?: string;
  writable?: boolean;
  send?: (packets: unknown[]) => void;
  doClose?: (fn?: () => void) => void;
  socket?: { _socket?: Partial<Corkable> };
  __bciCoalesced?: true;
}

function wrap(transport: EngineTransport): void {
  if (transport.name !== 'websocket' || transport.__bciCoalesced || typeof transport.send !== 'function' || typeof transport.doClose !== 'function') return;
  const raw = transport.socket?._socket;
  if (typeof raw?.cork !== 'function' || typeof raw.uncork !== 'function') return;
  const tcp = raw as Corkable;
  const send = transport.send.bind(transport);
  const doClose = transport.doClose.bind(transport);
  let pending: unknown[] | null = null;
  const flush = () => {
    if (!pending) return;
    const packets = pending;
    pending = null;
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
  transport.send = (packets) => {
    // Busy until the deferred send has been written (ws's callback sets it back, as for any send).
    transport.writable = false;
    if (pending) pending.push(...packets);
    else {
      pending = [...packets];
      setImmediate(flush);
    }
  };
  // What is pending goes out before the close frame (e.g. an auth_error followed by disconnect()).
  transport.doClose = (fn) => {
    flush();
    doClose(fn);
  };
  transport.__bciCoalesced = true;
}

/** Coalesces the writes of this socket's WebSocket transport (now, or after an upgrade from polling). */
export function coalesceWebSocketFrames(socket: Socket): void {
  const conn = socket.conn as unknown as { transport?: EngineTransport; on(event: 'upgrade', fn: (t: EngineTransport) => void): void };
  if (conn.transport) wrap(conn.transport);
  conn.on('upgrade', (t) => wrap(t));
}
