import { ClassificationWorker } from '@app/labelling';
import { sqsBatchHandler } from './sqs-batch-handler.js';

/** The classification queue's consumer (an SQS event source mapping with ReportBatchItemFailures). */
export const handler = sqsBatchHandler(ClassificationWorker, (worker, record) => worker.handle(record));
