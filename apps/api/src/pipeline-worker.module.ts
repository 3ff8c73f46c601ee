import { LabellingModule } from '@app/labelling';
import { TracingModule } from '@app/observability';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

/** What the queue workers need: the pipeline's consumers, without the HTTP layer. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), TracingModule, LabellingModule],
})
export class PipelineWorkerModule {}
