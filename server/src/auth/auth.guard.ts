// The global guard: default deny. Every HTTP route needs a valid Bearer access token unless
// marked @Public(); @Roles() names who may call it (no @Roles: admins only); @ScopeDevice()
// checks the device the route names against the user's device access.
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@bci/shared';
import { AuthService } from './auth.service';
import type { AuthUser } from './auth.types';
import { DEVICE_SCOPE_KEY, PUBLIC_KEY, ROLES_KEY, type DeviceScope } from './decorators';
import { DeviceAccess } from './device-access.service';

interface Req {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  user?: AuthUser;
}

export function bearer(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header);
  return m?.[1];
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly access: DeviceAccess,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    // socket.io authenticates in the gateway (handshake and per-room checks).
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Req>();
    const user = await this.auth.authenticate(bearer(req.headers.authorization));
    if (!user) throw new UnauthorizedException('a valid access token is required (Authorization: Bearer <token>)');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? ['admin'];
    if (!roles.includes(user.role)) throw new ForbiddenException(`this needs the role ${roles.join(' or ')}`);
    const scope = this.reflector.getAllAndOverride<DeviceScope | undefined>(DEVICE_SCOPE_KEY, targets);
    if (scope && user.role !== 'admin') {
      const deviceId = await this.deviceOf(scope, req);
      if (deviceId !== undefined && !(await this.access.mayAccess(user, deviceId))) throw new ForbiddenException(`no access to device ${deviceId}`);
    }
    return true;
  }

  /** The device the request names; undefined: none named (lists are filtered) or no such session/model (the handler answers 404). */
  private async deviceOf(scope: DeviceScope, req: Req): Promise<string | undefined> {
    const pick = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    switch (scope.from) {
      case 'param':
        return pick(req.params?.[scope.name]);
      case 'query':
        return pick(req.query?.[scope.name]);
      case 'body': {
        const v = (req.body as Record<string, unknown> | undefined)?.[scope.name];
        // A non-admin must name a device they may use; the handler validates the shape.
        return typeof v === 'string' ? v : '';
      }
      case 'session':
      case 'model': {
        const id = pick(req.params?.[scope.name]);
        return id === undefined ? undefined : this.access.deviceOf(scope.from, id);
      }
    }
  }
}
