import { IMAGE_STATUS_FILTER_PATTERNS } from './image-status-change.js';

/**
 * The notifier's event source mapping on the images table's stream: serverless.ts declares it, the local stream
 * poller runs with it.
 * - batchSize 100: at NOTIFICATION_CONCURRENCY 10 and ≈0.1 s per small group's notification, a full batch takes ≈1 s.
 * - maximumBatchingWindow 1 s: at low traffic a change waits at most 1 s; at 1,000 results/s batches fill first.
 * - parallelizationFactor 10: ten batches of one shard at once (per image key order is kept): ≈1,000 changes/s per
 *   shard, and the table's stream has a shard per partition.
 * - a failing batch is halved (bisectBatchOnFunctionError) and retried 3 times, then described on the failure queue;
 *   a change older than 10 minutes is not worth announcing (clients re-read on reconnect).
 */
export const NOTIFIER_STREAM_SETTINGS = {
  batchSize: 100,
  maximumBatchingWindowSeconds: 1,
  parallelizationFactor: 10,
  maximumRetryAttempts: 3,
  maximumRecordAgeInSeconds: 600,
  bisectBatchOnFunctionError: true,
  filterPatterns: IMAGE_STATUS_FILTER_PATTERNS,
} as const;
