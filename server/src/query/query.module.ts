import { Module } from '@nestjs/common';
import { QueryController } from './query.controller';
import { QueryRepository } from './query.repository';

@Module({ controllers: [QueryController], providers: [QueryRepository] })
export class QueryModule {}
