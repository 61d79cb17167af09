import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AUTH_CONFIG, loadAuthConfig } from './auth.config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DeviceAccess } from './device-access.service';
import { DeviceFilterInterceptor } from './device-filter.interceptor';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

// TEMPORARY until the coordinated switch-over: the global guard is registered only with
// BCI_AUTH_ENFORCE=1 so the other engineers' tests keep running unauthenticated meanwhile.
export const AUTH_ENFORCED = process.env.BCI_AUTH_ENFORCE === '1';

@Global()
@Module({
  controllers: [AuthController, UsersController, AuditController],
  providers: [
    { provide: AUTH_CONFIG, useFactory: () => loadAuthConfig() },
    UsersRepository,
    AuditService,
    AuthService,
    DeviceAccess,
    DeviceFilterInterceptor,
    ...(AUTH_ENFORCED ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
  ],
  exports: [AUTH_CONFIG, AuthService, AuditService, DeviceAccess, DeviceFilterInterceptor],
})
export class AuthModule {}
