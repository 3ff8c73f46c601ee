import { LabellingModule } from '@app/labelling';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What the queue workers need: the pipeline's consumers, without the HTTP layer. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), LabellingModule],
})
export class PipelineWorkerModule {}
