// Filters an array response down to the devices the user may see (GET /api/devices, model
// and session lists).
import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AuthUser } from './auth.types';
import { DeviceAccess } from './device-access.service';

@Injectable()
export class DeviceFilterInterceptor implements NestInterceptor {
  constructor(private readonly access: DeviceAccess) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    return next.handle().pipe(mergeMap((body: unknown) => (user && Array.isArray(body) ? from(this.access.filter(user, body)) : from([body]))));
  }
}

export const FilterByDevice = () => UseInterceptors(DeviceFilterInterceptor);
