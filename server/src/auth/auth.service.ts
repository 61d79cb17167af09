// Login, refresh-token rotation, logout, access-token verification and the first admin.
import { createHash, randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException, type OnApplicationBootstrap } from '@nestjs/common';
import type { TokenPair } from '@bci/shared';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';
import { AuditService } from './audit.service';
import { signAccessToken, verifyAccessToken } from './jwt';
import { LoginLimiter } from '@bci/streams/ratelimit';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { toView, UsersRepository, type UserRow } from './users.repository';
import type { AuthUser } from './auth.types';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly log = new Logger('Auth');
  readonly limiter: LoginLimiter;

  constructor(
    @Inject(AUTH_CONFIG) readonly config: AuthConfig,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {
    this.limiter = new LoginLimiter({ maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs });
    if (config.ephemeralSecret) this.log.warn('BCI_AUTH_SECRET is not set: tokens are signed with a random per-process secret and end when the server restarts');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.users.deleteExpiredRefresh().catch(() => {});
    if ((await this.users.countActiveAdmins()) > 0) return;
    const { adminUser, adminPassword } = this.config;
    if (!adminUser || !adminPassword) {
      this.log.warn('no admin account exists: set BCI_ADMIN_USER and BCI_ADMIN_PASSWORD (at least 8 characters) and restart to create the first one');
      return;
    }
    if (adminPassword.length < 8) {
      this.log.error('BCI_ADMIN_PASSWORD must be at least 8 characters; no admin created');
      return;
    }
    const existing = await this.users.byUsername(adminUser);
    if (existing) {
      await this.users.update(existing.id, { role: 'admin', disabled: false, passwordHash: await hashPassword(adminPassword) });
      this.log.log(`made ${adminUser} an admin again (no active admin existed)`);
    } else {
      await this.users.create({ username: adminUser, role: 'admin', passwordHash: await hashPassword(adminPassword), deviceIds: [] });
      this.log.log(`created the first admin account ${adminUser} from BCI_ADMIN_USER`);
    }
    await this.audit.record('system', 'user.create', adminUser, { role: 'admin', bootstrap: true });
  }

  private async issue(user: UserRow): Promise<TokenPair & { refreshId: number }> {
    const { token } = signAccessToken(this.config.secret, { sub: String(user.id), role: user.role, name: user.username }, this.config.accessTtlS);
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshId = await this.users.insertRefresh(user.id, hashRefreshToken(refreshToken), this.config.refreshTtlS);
    return { accessToken: token, expiresIn: this.config.accessTtlS, refreshToken, user: toView(user), refreshId };
  }

  async login(username: unknown, password: unknown, ip: string): Promise<TokenPair> {
    if (typeof username !== 'string' || typeof password !== 'string' || !username || username.length > 64 || password.length > 256) {
      throw new UnauthorizedException('invalid username or password');
    }
    const key = LoginLimiter.key(username, ip);
    const decision = this.limiter.check(key, Date.now());
    if (!decision.allowed) {
      await this.audit.record(username, 'login_failed', username, { ip, reason: 'rate_limited' });
      throw new TooManyAttempts(decision.retryAfterS);
    }
    const user = await this.users.byUsername(username);
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummyHash()), false);
    if (!user || !ok || user.disabled) {
      this.limiter.fail(key, Date.now());
      await this.audit.record(username, 'login_failed', username, { ip, reason: !user ? 'unknown_user' : user.disabled && ok ? 'disabled' : 'bad_password' });
      throw new UnauthorizedException('invalid username or password');
    }
    this.limiter.succeed(key);
    const { refreshId: _, ...pair } = await this.issue(user);
    await this.audit.record(user.username, 'login', user.username, { ip });
    return pair;
  }

  async refresh(refreshToken: unknown): Promise<TokenPair> {
    if (typeof refreshToken !== 'string' || !refreshToken || refreshToken.length > 200) throw new UnauthorizedException('invalid refresh token');
    const hash = hashRefreshToken(refreshToken);
    const used = await this.users.consumeRefresh(hash);
    if (!used) {
      // A rotated token coming back means it was copied: end every session of that user.
      const replayedBy = await this.users.wasRotated(hash);
      if (replayedBy !== undefined) {
        await this.users.revokeAllFor(replayedBy);
        this.log.warn(`a rotated refresh token of user ${replayedBy} was presented again; revoked all of that user's sessions`);
      }
      throw new UnauthorizedException('invalid refresh token');
    }
    const user = await this.users.byId(used.userId);
    if (!user || user.disabled) throw new UnauthorizedException('invalid refresh token');
    const { refreshId, ...pair } = await this.issue(user);
    await this.users.linkReplacement(used.id, refreshId);
    return pair;
  }

  async logout(refreshToken: unknown, actor?: AuthUser): Promise<void> {
    let userId: number | undefined;
    if (typeof refreshToken === 'string' && refreshToken.length <= 200) userId = await this.users.revokeRefresh(hashRefreshToken(refreshToken));
    const name = actor?.username ?? (userId !== undefined ? (await this.users.byId(userId))?.username : undefined);
    if (name) await this.audit.record(name, 'logout', name);
  }

  /** The user behind a Bearer token, loaded fresh (a disabled or deleted user is refused at once). */
  async authenticate(token: unknown): Promise<AuthUser | undefined> {
    const claims = verifyAccessToken(this.config.secret, token);
    if (!claims) return undefined;
    const id = Number(claims.sub);
    if (!Number.isSafeInteger(id)) return undefined;
    const user = await this.users.byId(id);
    if (!user || user.disabled) return undefined;
    // The role in the database wins over the token's (a demoted user loses rights at once).
    return { id: user.id, username: user.username, role: user.role, deviceIds: user.deviceIds, exp: claims.exp };
  }
}

export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfterS: number) {
    super({ statusCode: 429, message: `too many failed logins; try again in ${retryAfterS} s`, retryAfterS }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
