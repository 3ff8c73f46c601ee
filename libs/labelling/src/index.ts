export { ClassificationWorker } from './classification-worker.js';
export { ClassificationDeferredError, type LabellingOutcome } from './image-labeller.js';
export { labellingConfig, type LabellingConfig } from './labelling.config.js';
export { LabellingModule } from './labelling.module.js';
export type { S3EventNotification } from './s3-event.js';
export { ThumbnailWorker } from './thumbnail-worker.js';
