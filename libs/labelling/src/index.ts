export { Backfill, type BackfillCounts, type BackfillProgress } from './backfill.js';
export type { DeadLetter } from './dead-letter-queue.js';
export { labellingConfig, type LabellingConfig } from './labelling.config.js';
export { LabellingModule } from './labelling.module.js';
export type { S3EventNotification } from './s3-event.js';
export { UploadProcessor } from './upload-processor.js';
