// POST /api/auth/login, /refresh, /logout (public) and GET /api/auth/me.
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { LoginRequest, TokenPair, UserView } from '@bci/shared';
import { AuthService, TooManyAttempts } from './auth.service';
import type { AuthUser } from './auth.types';
import { CurrentUser, Public, Roles } from './decorators';
import { bearer } from './auth.guard';
import { UsersRepository, toView } from './users.repository';

interface Request {
  ip?: string;
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}
interface Response {
  setHeader(name: string, value: string): void;
}

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPair> {
    try {
      return await this.auth.login(body?.username, body?.password, req.ip ?? req.socket?.remoteAddress ?? 'unknown');
    } catch (err) {
      if (err instanceof TooManyAttempts) res.setHeader('Retry-After', String(err.retryAfterS));
      throw err;
    }
  }

  /** Exchanges a refresh token for a new pair; the old refresh token stops working. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: { refreshToken?: unknown }): Promise<TokenPair> {
    return this.auth.refresh(body?.refreshToken);
  }

  /** Revokes the refresh token (the access token expires on its own within its TTL). */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: { refreshToken?: unknown }, @Req() req: Request): Promise<void> {
    const actor = await this.auth.authenticate(bearer(req.headers.authorization));
    await this.auth.logout(body?.refreshToken, actor);
  }

  @Roles('admin', 'clinician', 'operator')
  @Get('me')
  async me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return toView((await this.users.byId(user.id))!);
  }
}
