import { ClassificationWorker } from '@app/labelling';
import { sqsBatchHandler } from './sqs-batch-handler.js';

/** The classification queue's consumer (an SQS event source mapping with ReportBatchItemFailures). */
export const handler = sqsBatchHandler(ClassificationWorker, 'classification-worker', (worker, record) =>
  worker.handle(record),
);
