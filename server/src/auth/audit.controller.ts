// GET /api/audit?actor=&action=&from=&to=&limit= (admins), newest first.
import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import type { AuditEntry } from '@bci/shared';
import { AuditService } from './audit.service';
import { Roles } from './decorators';

function date(v: string | undefined, name: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new BadRequestException(`${name} must be ISO-8601`);
  return d;
}

@Roles('admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query('actor') actor?: string, @Query('action') action?: string, @Query('from') from?: string, @Query('to') to?: string, @Query('limit') limit = '500'): Promise<AuditEntry[]> {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new BadRequestException('limit must be an integer in 1..10000');
    return this.audit.query({ actor: actor || undefined, action: action || undefined, from: date(from, 'from'), to: date(to, 'to'), limit: n });
  }
}
