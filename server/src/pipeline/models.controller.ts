// Trained models: list, fetch (with artefact), activate for live classification.
import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query, BadRequestException } from '@nestjs/common';
import { ModelsRepository } from './models.repository';
import { PipelineService } from './pipeline.service';

@Controller('api/models')
export class ModelsController {
  constructor(
    private readonly repo: ModelsRepository,
    private readonly pipeline: PipelineService,
  ) {}

  @Get()
  list(@Query('deviceId') deviceId?: string) {
    return this.repo.list(deviceId);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const m = await this.repo.get(id);
    if (!m) throw new NotFoundException(`no model ${id}`);
    return m;
  }

  /** The device's processor switches to this model at its next window. */
  @Post(':id/activate')
  @HttpCode(200)
  async activate(@Param('id') id: string) {
    const m = await this.repo.get(id);
    if (!m) throw new NotFoundException(`no model ${id}`);
    try {
      return await this.pipeline.activate(m);
    } catch (err) {
      if ((err as { code?: string }).code) throw err; // database errors are 500s
      throw new BadRequestException(`model ${id} cannot run on ${m.deviceId}: ${(err as Error).message}`);
    }
  }
}
