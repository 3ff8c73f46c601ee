import { lambdaInvocations } from '@app/observability';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Type } from '@nestjs/common';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { cachedApplicationContext, type LambdaService } from './lambda-boot.js';
import { PipelineWorkerModule } from './pipeline-worker.module.js';

/**
 * An SQS event source handler: each record goes to the worker, in parallel (a batch lasts as long as its slowest
 * record), and only the records that threw are reported (ReportBatchItemFailures) — SQS delivers those again and
 * deletes the rest, so one bad photo never re-runs its batch-mates. If every record fails, Powertools throws and
 * the whole batch comes back, as it would anyway.
 */
export function sqsBatchHandler<Worker>(
  workerType: Type<Worker>,
  service: LambdaService,
  handle: (worker: Worker, record: SQSRecord) => Promise<unknown>,
) {
  // One application context per function (each worker is its own Lambda), reused across invocations.
  const workerContext = cachedApplicationContext(PipelineWorkerModule, service);
  const invocation = lambdaInvocations(service);
  const processor = new BatchProcessor(EventType.SQS);
  return (event: SQSEvent, lambdaContext: Context): Promise<SQSBatchResponse> =>
    invocation(lambdaContext, async () => {
      const worker = (await workerContext()).get(workerType);
      const handleRecord = (record: SQSRecord) => handle(worker, record);
      return processPartialResponse(event, handleRecord, processor, { context: lambdaContext });
    });
}
