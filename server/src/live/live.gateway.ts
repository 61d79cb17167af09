import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { LIVE_NAMESPACE, type DeviceStatus, type SubscribeReply } from '@bci/shared';
import { AuthService } from '../auth/auth.service';
import type { AuthUser } from '../auth/auth.types';
import { DeviceAccess } from '../auth/device-access.service';
import { corsOriginsFromEnv } from '../security/security-headers';
import { coalesceWebSocketFrames } from './coalesce-frames';

const ROOM_PATTERN = /^(overview|alerts|(device|eeg):[A-Za-z0-9_-]{1,64})$/;
const MAX_ROOMS_PER_SOCKET = 64;

/** What the gateway keeps on each socket. */
interface SocketData {
  /** Resolves to the authenticated user, or undefined once the socket has been refused. */
  auth?: Promise<AuthUser | undefined>;
  user?: AuthUser;
  expiryTimer?: NodeJS.Timeout;
}

const origins = corsOriginsFromEnv();

/**
 * socket.io endpoint of the dashboard. The handshake must carry an access token
 * (`io(url + '/live', { auth: { token } })`); without a valid one the socket gets an
 * `auth_error` event and is disconnected, and so it is when the token expires (the client
 * reconnects with a fresh one). `subscribe` joins only the rooms the user may see:
 * device:<id> and eeg:<id> (its display traces) by the device's kind and the user's role and
 * assignments, `alerts` for
 * operators and admins, `overview` for everyone (its device-status is filtered per socket).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: origins.length ? origins : false } })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect {
  /** With a namespace set, Nest injects the Namespace, not the root Server. */
  @WebSocketServer() server!: Namespace;
  private readonly log = new Logger('LiveGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly access: DeviceAccess,
  ) {}

  handleConnection(socket: Socket): void {
    coalesceWebSocketFrames(socket);
    const data = socket.data as SocketData;
    data.auth = (async () => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const user = await this.auth.authenticate(token).catch(() => undefined);
      if (!user) {
        socket.emit('auth_error', { message: token ? 'invalid or expired access token' : 'an access token is required (auth: { token })' });
        socket.disconnect(true);
        return undefined;
      }
      data.user = user;
      // Rights end with the token: disconnect then, and the client reconnects with a fresh one.
      const ms = Math.min(user.exp * 1000 - Date.now(), 2 ** 31 - 1);
      data.expiryTimer = setTimeout(() => {
        socket.emit('auth_error', { message: 'access token expired' });
        socket.disconnect(true);
      }, Math.max(0, ms));
      data.expiryTimer.unref();
      return user;
    })();
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as SocketData;
    if (data.expiryTimer) clearTimeout(data.expiryTimer);
  }

  /** Whether `user` may join `room`. */
  private async mayJoin(user: AuthUser, room: string): Promise<boolean> {
    if (room === 'overview') return true;
    if (room === 'alerts') return user.role === 'admin' || user.role === 'operator';
    return this.access.mayAccess(user, room.slice(room.indexOf(':') + 1));
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const rooms = (body as { rooms?: unknown })?.rooms;
    if (!Array.isArray(rooms) || rooms.length > MAX_ROOMS_PER_SOCKET || !rooms.every((r) => typeof r === 'string' && ROOM_PATTERN.test(r))) {
      return { ok: false, rooms: [], error: `rooms must be up to ${MAX_ROOMS_PER_SOCKET} of: overview, alerts, device:<deviceId>, eeg:<deviceId>` };
    }
    const data = socket.data as SocketData;
    if (!(await data.auth) || !socket.connected) return { ok: false, rooms: [], error: 'not authenticated' };
    // Re-read the user: a disabled user or changed assignments count from the next subscribe.
    const user = await this.auth.authenticate((socket.handshake.auth as { token?: unknown } | undefined)?.token).catch(() => undefined);
    if (!user) {
      socket.emit('auth_error', { message: 'invalid or expired access token' });
      socket.disconnect(true);
      return { ok: false, rooms: [], error: 'not authenticated' };
    }
    data.user = user;
    const allowed: string[] = [];
    const denied: string[] = [];
    for (const r of rooms as string[]) ((await this.mayJoin(user, r)) ? allowed : denied).push(r);
    if (allowed.length) await socket.join(allowed);
    return denied.length ? { ok: false, rooms: allowed, error: `not allowed: ${denied.join(', ')}` } : { ok: true, rooms: allowed };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const rooms = (body as { rooms?: unknown })?.rooms;
    if (!Array.isArray(rooms)) return { ok: false, rooms: [], error: 'rooms must be an array' };
    for (const r of rooms) if (typeof r === 'string') await socket.leave(r);
    return { ok: true, rooms: rooms.filter((r): r is string => typeof r === 'string') };
  }

  /** Whether anyone listens: callers skip building payloads nobody will receive. */
  hasListeners(room: string): boolean {
    return (this.server?.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** Sends to a room; a room without sockets costs nothing (socket.io would still encode). */
  emit(room: string, event: string, payload: unknown): void {
    if (!this.hasListeners(room)) return;
    try {
      this.server.to(room).emit(event, payload);
    } catch (err) {
      this.log.warn(`emit ${event} to ${room} failed: ${(err as Error).message}`);
    }
  }

  /** device-status to the overview room, each socket getting only the devices its user may see. */
  emitDeviceStatus(room: string, statuses: DeviceStatus[]): void {
    const ids = this.server?.adapter.rooms.get(room);
    if (!ids?.size) return;
    const byRole = new Map<string, DeviceStatus[]>();
    for (const id of ids) {
      const socket = this.server.sockets.get(id);
      const user = (socket?.data as SocketData | undefined)?.user;
      if (!socket || !user) continue;
      const key = user.role === 'clinician' ? `clinician:${user.deviceIds.join(',')}` : user.role;
      let list = byRole.get(key);
      if (!list) byRole.set(key, (list = statuses.filter((s) => DeviceAccess.allows(user, s.deviceId, s.kind))));
      try {
        socket.emit('device-status', list);
      } catch (err) {
        this.log.warn(`device-status to ${id} failed: ${(err as Error).message}`);
      }
    }
  }
}
