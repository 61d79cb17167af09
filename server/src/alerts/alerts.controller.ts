import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import type { AlertActionRequest } from '@bci/shared';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { AuditService } from '../auth/audit.service';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';

const STATES = ['active_unacknowledged', 'active_acknowledged', 'cleared', 'closed'];

/** Operators and admins. Actions are taken as the authenticated user (body.by is ignored) and audited. */
@Roles('admin', 'operator')
@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly repo: AlertsRepository,
    private readonly alerts: AlertsService,
    private readonly audit: AuditService,
  ) {}

  /** ?state=active_unacknowledged,active_acknowledged &deviceId= &stage=<min stage> &from= &to= &limit= */
  @Get()
  list(@Query('state') state?: string, @Query('deviceId') deviceId?: string, @Query('stage') stage?: string, @Query('from') from?: string, @Query('to') to?: string, @Query('limit') limit = '200') {
    const states = state ? state.split(',') : undefined;
    if (states?.some((s) => !STATES.includes(s))) throw new BadRequestException(`state must be among ${STATES.join(', ')}`);
    const minStage = stage === undefined ? undefined : Number(stage);
    if (minStage !== undefined && !(Number.isInteger(minStage) && minStage >= 1 && minStage <= 4)) throw new BadRequestException('stage must be 1..4');
    const date = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) throw new BadRequestException(`${name} must be ISO-8601`);
      return d;
    };
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 5000) throw new BadRequestException('limit must be 1..5000');
    return this.repo.list({ state: states, deviceId, minStage, from: date(from, 'from'), to: date(to, 'to'), limit: n });
  }

  /** One alert with its full event history and central-server deliveries. */
  @Get(':id')
  async get(@Param('id') id: string) {
    const alert = await this.repo.get(id);
    if (!alert) throw new NotFoundException(`no alert ${id}`);
    return { ...alert, events: await this.repo.events(id), deliveries: await this.repo.deliveries(id) };
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: AlertActionRequest, @CurrentUser() user: AuthUser) {
    return this.act('acknowledge', id, body, user);
  }

  @Post(':id/clear')
  @HttpCode(200)
  clear(@Param('id') id: string, @Body() body: AlertActionRequest, @CurrentUser() user: AuthUser) {
    return this.act('clear', id, body, user);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id') id: string, @Body() body: AlertActionRequest, @CurrentUser() user: AuthUser) {
    return this.act('close', id, body, user);
  }

  private async act(kind: 'acknowledge' | 'clear' | 'close', id: string, body: AlertActionRequest | undefined, user: AuthUser) {
    if (body?.note !== undefined && (typeof body.note !== 'string' || body.note.length > 2000)) throw new BadRequestException('note must be a string of at most 2000 characters');
    // The actor is the authenticated user; a `by` in the body is ignored.
    const by = user.username;
    const view = await this.alerts.act(kind, id, by, body?.note);
    await this.audit.record(by, `alert.${kind}`, id, { deviceId: view.deviceId, metric: view.metric, note: body?.note ?? null });
    return view;
  }
}
