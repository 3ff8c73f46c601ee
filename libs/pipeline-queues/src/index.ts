export { Backfill, type BackfillCounts, type BackfillProgress } from './backfill.js';
export { pipelineQueuesConfig, type PipelineQueuesConfig } from './pipeline-queues.config.js';
export { PipelineQueuesModule } from './pipeline-queues.module.js';
export { PipelineQueues, type ClassificationRequest } from './pipeline-queues.js';
