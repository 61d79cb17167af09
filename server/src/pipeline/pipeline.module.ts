import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { LiveModule } from '../live/live.module';
import { loadPipelineConfig, PIPELINE_CONFIG } from './pipeline.config';
import { PipelineRepository } from './pipeline.repository';
import { PipelineService } from './pipeline.service';
import { SessionsRepository } from './sessions.repository';
import { ModelsRepository } from './models.repository';
import { TrainingService } from './training.service';
import { SessionsController } from './sessions.controller';
import { ModelsController } from './models.controller';
import { PredictionsController } from './predictions.controller';

@Module({
  imports: [IngestModule, LiveModule],
  controllers: [SessionsController, ModelsController, PredictionsController],
  providers: [{ provide: PIPELINE_CONFIG, useFactory: () => loadPipelineConfig() }, PipelineRepository, PipelineService, SessionsRepository, ModelsRepository, TrainingService],
})
export class PipelineModule {}
