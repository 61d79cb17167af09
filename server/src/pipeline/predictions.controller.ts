// Stored predictions of a device, for a client to fill the gap after a reconnect.
import { Controller, Get, Param, Query } from '@nestjs/common';
import { parseRangeUs } from '../query/time-range';
import { PipelineRepository } from './pipeline.repository';
import { Roles, ScopeDevice } from '../auth/decorators';

@Controller('api/devices')
export class PredictionsController {
  constructor(private readonly repo: PipelineRepository) {}

  /** ?from=&to= (ISO-8601 or µs; default the last 10 minutes), window end in [from, to). */
  @Roles('admin', 'clinician')
  @ScopeDevice('param', 'deviceId')
  @Get(':deviceId/predictions')
  predictions(@Param('deviceId') deviceId: string, @Query('from') from?: string, @Query('to') to?: string) {
    const { fromUs, toUs } = parseRangeUs(from, to, 600_000_000);
    return this.repo.predictions(deviceId, fromUs, toUs, 50_000);
  }
}
