// Operator-defined derived metrics and alert conditions (mathjs expressions over a device's
// metrics): GET/POST /api/alert-rules, PUT/PATCH/DELETE /api/alert-rules/:id, POST
// /api/alert-rules/check to validate (and try) an expression before saving, GET
// /api/alert-rules/issues for problems met while evaluating them. A bad expression is a 400
// {statusCode, code, message} with the ExpressionError code; every change is audited.
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { isValidDeviceId } from '@bci/shared';
import { AuditService } from '../auth/audit.service';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles } from '../auth/decorators';
import {
  checkRuleExpression,
  errorBody,
  ExpressionError,
  parseCheckRequest,
  parseNewRule,
  parseRulePatch,
  RuleInputError,
  type AlertRule,
} from '@bci/streams/anomaly';
import { AlertRulesRepository } from './alert-rules.repository';
import { AlertsService } from './alerts.service';

/** Expression and input errors become 400 {statusCode, code, message}; anything else propagates. */
function badRequest<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExpressionError || e instanceof RuleInputError) throw new BadRequestException(errorBody(e));
    throw e;
  }
}

function deviceQuery(deviceId: string | undefined): string | undefined {
  if (deviceId !== undefined && !isValidDeviceId(deviceId))
    throw new BadRequestException({ statusCode: 400, code: 'invalid_request', message: 'deviceId must be a device id' });
  return deviceId;
}

const auditDetails = (r: AlertRule) => ({
  deviceId: r.deviceId,
  name: r.name,
  kind: r.kind,
  expression: r.expression,
  stage: r.stage,
  enabled: r.enabled,
});

/** Same roles as the alerts themselves: operators and admins. */
@Roles('admin', 'operator')
@Controller('api/alert-rules')
export class AlertRulesController {
  constructor(
    private readonly repo: AlertRulesRepository,
    private readonly alerts: AlertsService,
    private readonly audit: AuditService,
  ) {}

  /** Every rule; with ?deviceId= the device's own rules and the global ones (device_id null). */
  @Get()
  list(@Query('deviceId') deviceId?: string): Promise<AlertRule[]> {
    return this.repo.list(deviceQuery(deviceId));
  }

  /** Problems met while evaluating rules on readings (missing metric, division by zero, ...), counted since start-up. */
  @Get('issues')
  issues(@Query('deviceId') deviceId?: string) {
    return this.alerts.ruleIssues(deviceQuery(deviceId));
  }

  /**
   * Validate an expression without saving: {expression, kind?, name?, deviceId?, metrics?}. With
   * `metrics` (a sample reading) it is also evaluated, after the derived metrics of the rules in
   * scope (the device's, or the global ones) are added to the sample.
   */
  @Post('check')
  @HttpCode(200)
  check(@Body() body: unknown) {
    return badRequest(() => {
      const req = parseCheckRequest(body);
      const { compiled, type } = checkRuleExpression(req.kind, req.expression);
      const out: Record<string, unknown> = { ok: true, expression: req.expression, type, metrics: compiled.metrics };
      if (req.metrics) {
        const sample = this.alerts.deriveSample(req.deviceId, req.metrics);
        const value = compiled.evaluate(sample.metrics);
        if (typeof value === 'number' && !Number.isFinite(value)) {
          throw new BadRequestException({
            statusCode: 400,
            code: 'non_finite',
            message: `the expression is ${value} on these metrics (e.g. division by zero)`,
          });
        }
        out.value = value;
        out.scope = sample.metrics;
      }
      return out;
    });
  }

  /** {deviceId?, name, kind: 'derived'|'condition', expression, stage? (conditions: 1..4), enabled?} */
  @Post()
  async create(@Body() body: unknown, @CurrentUser() user: AuthUser): Promise<AlertRule> {
    const rule = badRequest(() => parseNewRule(body));
    const created = await this.alerts.createRule(rule, user.username).catch((err: { code?: string }) => {
      if (err.code === '23505')
        throw new ConflictException(
          `a rule named ${rule.name} exists for ${rule.deviceId === null ? 'every device' : `device ${rule.deviceId}`}`,
        );
      throw err;
    });
    await this.audit.record(user.username, 'alert_rule.create', String(created.id), auditDetails(created));
    return created;
  }

  /** {expression?, stage?, enabled?}; name, kind and device are fixed. */
  @Put(':id')
  replace(@Param('id', ParseIntPipe) id: number, @Body() body: unknown, @CurrentUser() user: AuthUser): Promise<AlertRule> {
    return this.update(id, body, user);
  }

  @Patch(':id')
  async update(@Param('id', ParseIntPipe) id: number, @Body() body: unknown, @CurrentUser() user: AuthUser): Promise<AlertRule> {
    const existing = await this.repo.get(id);
    if (!existing) throw new NotFoundException(`no alert rule ${id}`);
    const patch = badRequest(() => parseRulePatch(body, existing));
    const updated = await this.alerts.updateRule(id, patch);
    if (!updated) throw new NotFoundException(`no alert rule ${id}`);
    await this.audit.record(user.username, 'alert_rule.update', String(id), { ...auditDetails(updated), changed: Object.keys(patch) });
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseIntPipe) id: number, @CurrentUser() user: AuthUser): Promise<void> {
    const deleted = await this.alerts.deleteRule(id);
    if (!deleted) throw new NotFoundException(`no alert rule ${id}`);
    await this.audit.record(user.username, 'alert_rule.delete', String(id), auditDetails(deleted));
  }
}
