// Trained models: list, fetch (with artefact), activate for live classification.
import { Controller, Get, HttpCode, HttpException, NotFoundException, Param, Post, Query, BadRequestException } from '@nestjs/common';
import { ModelsRepository } from './models.repository';
import { PipelineService } from './pipeline.service';
import { AuditService } from '../auth/audit.service';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles, ScopeDevice } from '../auth/decorators';
import { FilterByDevice } from '../auth/device-filter.interceptor';

/** Clinicians (models of their assigned devices) and admins. */
@Roles('admin', 'clinician')
@Controller('api/models')
export class ModelsController {
  constructor(
    private readonly repo: ModelsRepository,
    private readonly pipeline: PipelineService,
    private readonly audit: AuditService,
  ) {}

  @ScopeDevice('query', 'deviceId')
  @FilterByDevice()
  @Get()
  list(@Query('deviceId') deviceId?: string) {
    return this.repo.list(deviceId);
  }

  @ScopeDevice('model', 'id')
  @Get(':id')
  async get(@Param('id') id: string) {
    const m = await this.repo.get(id);
    if (!m) throw new NotFoundException(`no model ${id}`);
    return m;
  }

  /**
   * The device's processor switches to this model at its next window. Only the process that owns
   * the device's partition runs its processor; another answers 421 Misdirected Request, naming
   * the partition, so a router (or the caller) can send it to the owner.
   */
  @ScopeDevice('model', 'id')
  @Post(':id/activate')
  @HttpCode(200)
  async activate(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    const m = await this.repo.get(id);
    if (!m) throw new NotFoundException(`no model ${id}`);
    try {
      const active = await this.pipeline.activate(m);
      await this.audit.record(user.username, 'model.activate', id, { deviceId: m.deviceId, version: m.version, pipeline: m.pipeline });
      return active;
    } catch (err) {
      if ((err as { code?: string }).code || err instanceof HttpException) throw err; // database errors are 500s; 421 stays 421
      throw new BadRequestException(`model ${id} cannot run on ${m.deviceId}: ${(err as Error).message}`);
    }
  }
}
