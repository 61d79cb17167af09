// Route metadata read by the global AuthGuard.
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@bci/shared';
import type { AuthUser } from './auth.types';

export const PUBLIC_KEY = 'bci:public';
export const ROLES_KEY = 'bci:roles';
export const DEVICE_SCOPE_KEY = 'bci:device-scope';

/** No token needed (login, refresh, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Roles allowed on a route (or every route of a controller). A route without @Roles is admin-only. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Where the route names its device, checked against the user's device access (clinicians:
 * assigned devices; operators: non-EEG devices; admins: all). `session` / `model` look the
 * device up from the session or model id in the route parameter `name`.
 */
export interface DeviceScope {
  from: 'param' | 'query' | 'body' | 'session' | 'model';
  name: string;
}
export const ScopeDevice = (from: DeviceScope['from'], name: string) => SetMetadata(DEVICE_SCOPE_KEY, { from, name } satisfies DeviceScope);

/** The authenticated user (set by the guard). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user);
