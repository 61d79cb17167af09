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

/** Registers the global AuthGuard: every HTTP route is default-deny from here on. */
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
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AUTH_CONFIG, AuthService, AuditService, DeviceAccess, DeviceFilterInterceptor],
})
export class AuthModule {}
