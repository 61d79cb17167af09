import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

@Module({ imports: [IngestModule], providers: [LiveGateway, LiveService], exports: [LiveGateway] })
export class LiveModule {}
