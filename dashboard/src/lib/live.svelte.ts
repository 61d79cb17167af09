// One socket.io connection for the whole dashboard. socket.io reconnects by itself; on every
// `connect` we emit `subscribe` again with all rooms in use (the server forgets a disconnected
// socket), then tell the views so they can fill the gap from REST. The handshake carries the
// current access token (callback form: every reconnect takes the freshest one); when the
// server disconnects us (token expired or refused) we refresh the token and connect again.
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, rooms, type DeviceStatus, type SubscribeReply } from './types';
import { auth, can } from './auth.svelte';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

type ConnectHandler = (reconnect: boolean) => void;

class LiveConnection {
  state = $state<ConnectionState>('connecting');
  /** Latest `device-status` list, by device id. */
  statuses = $state<Record<string, DeviceStatus>>({});
  /** Wall-clock ms of the last `device-status` message. */
  statusAt = $state(0);
  connects = $state(0);
  lastError = $state<string | null>(null);

  readonly socket: Socket;
  private readonly roomRefs = new Map<string, number>();
  private readonly connectHandlers = new Set<ConnectHandler>();

  constructor() {
    this.socket = io(LIVE_NAMESPACE, {
      autoConnect: false,
      auth: (cb) => cb({ token: auth.token() }),
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3_000,
      timeout: 5_000,
    });
    this.socket.on('connect', () => {
      const reconnect = this.connects > 0;
      this.connects++;
      this.state = 'connected';
      this.lastError = null;
      this.resubscribe();
      for (const h of this.connectHandlers) h(reconnect);
    });
    this.socket.on('disconnect', (reason) => {
      this.state = this.connects > 0 ? 'reconnecting' : 'connecting';
      // socket.io does not reconnect after a server-side disconnect: do it with a fresh token.
      if (reason === 'io server disconnect') void this.reauthenticate();
    });
    this.socket.on('auth_error', (e: { message?: string }) => {
      this.lastError = e?.message ?? 'not authenticated';
    });
    this.socket.on('connect_error', (err: Error) => {
      this.state = this.connects > 0 ? 'reconnecting' : 'connecting';
      this.lastError = err.message;
    });
    this.socket.on('device-status', (list: DeviceStatus[]) => {
      const next: Record<string, DeviceStatus> = {};
      for (const s of list) next[s.deviceId] = s;
      this.statuses = next;
      this.statusAt = Date.now();
    });
  }

  /** Connects once signed in, joining the rooms every view of this role needs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.join(rooms.overview);
    if (can.alerts(auth.role)) this.join(rooms.alerts);
    this.socket.connect();
  }

  private started = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  private async reauthenticate(attempt = 0): Promise<void> {
    clearTimeout(this.retry);
    const ok = await auth.refresh();
    if (ok) this.socket.connect();
    else if (!auth.token()) auth.expire();
    else this.retry = setTimeout(() => void this.reauthenticate(attempt + 1), Math.min(500 * 2 ** attempt, 5_000));
  }

  private resubscribe(): void {
    const list = [...this.roomRefs.keys()];
    if (!list.length || !this.socket.connected) return;
    this.socket.timeout(5_000).emit('subscribe', { rooms: list }, (err: Error | null, reply?: SubscribeReply) => {
      if (err || !reply?.ok) this.lastError = err?.message ?? reply?.error ?? 'subscribe refused';
    });
  }

  /** Joins a room while the returned function is not called (reference counted). */
  join(room: string): () => void {
    const n = this.roomRefs.get(room) ?? 0;
    this.roomRefs.set(room, n + 1);
    if (n === 0 && this.socket?.connected) this.socket.emit('subscribe', { rooms: [room] }, () => {});
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const m = (this.roomRefs.get(room) ?? 1) - 1;
      if (m > 0) this.roomRefs.set(room, m);
      else {
        this.roomRefs.delete(room);
        if (this.socket.connected) this.socket.emit('unsubscribe', { rooms: [room] }, () => {});
      }
    };
  }

  /** Calls `handler(reconnect)` on every connect after this call; returns the remover. */
  onConnect(handler: ConnectHandler): () => void {
    this.connectHandlers.add(handler);
    return () => this.connectHandlers.delete(handler);
  }

  /** Subscribes to a socket event; returns the remover. */
  on<T>(event: string, handler: (payload: T) => void): () => void {
    this.socket.on(event, handler as (...args: unknown[]) => void);
    return () => this.socket.off(event, handler as (...args: unknown[]) => void);
  }
}

export const live = new LiveConnection();
// For tests and debugging in the browser console.
(globalThis as unknown as { __bciLive?: LiveConnection }).__bciLive = live;
