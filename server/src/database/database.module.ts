import { Global, Module } from '@nestjs/common';
import { DatabaseService } from './database.service';
import { RetentionJob } from './retention.job';

@Global()
@Module({ providers: [DatabaseService, RetentionJob], exports: [DatabaseService] })
export class DatabaseModule {}
