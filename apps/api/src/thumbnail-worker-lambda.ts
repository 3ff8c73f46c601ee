import { ThumbnailWorker } from '@app/labelling';
import { sqsBatchHandler } from './sqs-batch-handler.js';

/** The thumbnail queue's consumer (an SQS event source mapping with ReportBatchItemFailures). */
export const handler = sqsBatchHandler(ThumbnailWorker, 'thumbnail-worker', (worker, record) => worker.handle(record));
