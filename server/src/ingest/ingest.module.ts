import { Module } from '@nestjs/common';
import { IngestConsumer } from './ingest.consumer';
import { IngestRepository } from './ingest.repository';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestBus } from './ingest.bus';
import { IngestStats } from './ingest.stats';
import { DeviceActivity } from './device-activity';

@Module({
  providers: [IngestConsumer, IngestRepository, DeadLetterPublisher, IngestBus, IngestStats, DeviceActivity],
  exports: [IngestBus, IngestStats, DeviceActivity, IngestConsumer],
})
export class IngestModule {}
