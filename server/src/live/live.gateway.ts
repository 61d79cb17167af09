import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { LIVE_NAMESPACE, type SubscribeReply } from '@bci/shared';

const ROOM_PATTERN = /^(overview|alerts|device:[A-Za-z0-9_-]{1,64})$/;
const MAX_ROOMS_PER_SOCKET = 64;

/**
 * socket.io endpoint of the dashboard. Clients choose rooms with `subscribe`; the server
 * pushes into rooms from LiveService. Rooms are checked by pattern here; per-user
 * authorization of rooms is the access-control issue's job.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: true } })
export class LiveGateway {
  /** With a namespace set, Nest injects the Namespace, not the root Server. */
  @WebSocketServer() server!: Namespace;
  private readonly log = new Logger('LiveGateway');

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const rooms = (body as { rooms?: unknown })?.rooms;
    if (!Array.isArray(rooms) || rooms.length > MAX_ROOMS_PER_SOCKET || !rooms.every((r) => typeof r === 'string' && ROOM_PATTERN.test(r))) {
      return { ok: false, rooms: [], error: `rooms must be up to ${MAX_ROOMS_PER_SOCKET} of: overview, alerts, device:<deviceId>` };
    }
    await socket.join(rooms);
    return { ok: true, rooms };
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
}
