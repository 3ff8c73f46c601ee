import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { PipelineWorkerModule } from './pipeline-worker.module.js';

let context: Promise<INestApplicationContext> | undefined;

/** One application context per Lambda instance, reused across invocations (a failed start is tried again). */
function workerContext(): Promise<INestApplicationContext> {
  context ??= NestFactory.createApplicationContext(PipelineWorkerModule, {
    logger: ['log', 'warn', 'error'],
    // Throw instead of exiting: the runtime reports the failed start and the next invocation tries again.
    abortOnError: false,
  }).catch((error: unknown) => {
    context = undefined;
    throw error;
  });
  return context;
}

/**
 * An SQS event source handler: each record goes to the worker, in parallel (a batch lasts as long as its slowest
 * record), and only the records that threw are reported (ReportBatchItemFailures) — SQS delivers those again and
 * deletes the rest, so one bad photo never re-runs its batch-mates. If every record fails, Powertools throws and
 * the whole batch comes back, as it would anyway.
 */
export function sqsBatchHandler<Worker>(workerType: Type<Worker>, handle: (worker: Worker, record: SQSRecord) => Promise<unknown>) {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, lambdaContext: Context): Promise<SQSBatchResponse> => {
    const worker = (await workerContext()).get(workerType);
    return processPartialResponse(event, (record: SQSRecord) => handle(worker, record), processor, { context: lambdaContext });
  };
}
