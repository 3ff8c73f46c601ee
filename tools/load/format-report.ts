import { countBy, type ImageAudit } from './image-audit.js';
import type { LoadReport } from './load-report.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const at = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const histogram = (counts: Record<string | number, number>) =>
  Object.entries(counts)
    .map(([key, count]) => `${key} ×${count}`)
    .join(', ') || 'none';

/** The run's counts and timings, one fact a line, then the verdict. */
export function formatReport(report: LoadReport, violations: readonly string[]): string {
  const { options, outage, final, timings } = report;
  const unavailable = report.apiExchanges.filter((exchange) => exchange.status === 503);
  const created = report.apiExchanges.filter(
    (exchange) => exchange.status === 201 && exchange.route.includes('/images'),
  );
  const lines = [
    `Faults under load: ${options.images} images, ${Math.min(options.concurrency, options.images)} at once, ` +
      `1 classifier invocation in ${options.faultEvery} faulted`,
    `  timings: local system ${seconds(timings.systemStart)}, creations and uploads ${seconds(timings.load)}, ` +
      `pipeline settled ${seconds(timings.settle)} later, backfill ${seconds(timings.backfill)}, total ${seconds(timings.total)}`,
    outage === undefined
      ? '  DynamoDB Local restart: none'
      : `  DynamoDB Local restart: down from ${at(outage.startedAt)} to ${at(outage.endedAt)} (${seconds(outage.endedAt - outage.startedAt)})`,
    `  images created ${report.created} of ${options.images}, photos uploaded ${report.uploaded}` +
      (report.abandoned.length > 0 ? `, abandoned ${report.abandoned.length}` : ''),
    `  API answers: ${histogram(countBy(report.apiExchanges.map((exchange) => `${exchange.route} ${exchange.status}`)))}`,
    unavailable.length === 0
      ? '  503s: none'
      : `  503s: ${unavailable.length}, sent from ${at(Math.min(...unavailable.map((exchange) => exchange.startedAt)))}, ` +
        `the last answered at ${at(Math.max(...unavailable.map((exchange) => exchange.endedAt)))}`,
    `  image creations answered 201 in: ${percentiles(created.map((exchange) => exchange.endedAt - exchange.startedAt))}`,
    `  photo uploads (S3 PUT): ${histogram(report.uploadStatuses)}`,
    `  classification worker: ${report.pipeline.invocations} invocations, ${report.pipeline.records} records, ` +
      `${report.pipeline.failedRecords} put back; crashed mid-batch ×${report.pipeline.workerCrashes}; ` +
      `duplicate deliveries ×${report.pipeline.duplicated}, out-of-order ×${report.pipeline.outOfOrder}, ` +
      `poisoned message refused ×${report.pipeline.poisonedRefusals}`,
    `  classifier: ${report.classifierInvocations} invocations, faults injected: ${histogram(report.faults)}`,
    `  queues empty: ${states(report.beforeBackfill)}; dead letters ${report.deadLetters.sent}, redriven ${report.deadLetters.redriven}, ` +
      `left ${report.deadLetters.left.length}`,
    `  backfill: classifications queued ${report.backfill.classificationsQueued}, thumbnails queued ${report.backfill.thumbnailsQueued}, ` +
      `uploads missing ${report.backfill.uploadsMissing}, awaiting upload ${report.backfill.awaitingUpload}, skipped ${report.backfill.skipped}`,
    `  after the redrive and the backfill: ${states(final)}`,
    `  lost ${final.lost.length}; duplicated ${final.duplicatedUploads.length + final.unacknowledged.length + final.staleLabelEntries.length} ` +
      `(records for one upload ${final.duplicatedUploads.length}, unacknowledged records ${final.unacknowledged.length}, ` +
      `stale label entries ${final.staleLabelEntries.length}); label words not indexed ${final.missingLabelEntries.length}; ` +
      `wrong outcomes ${final.wrongOutcomes.length}`,
    `  records ${final.records}; ` +
      `CLASSIFIED without a thumbnail ${final.classifiedWithoutThumbnail.length} (before the backfill ${report.beforeBackfill.classifiedWithoutThumbnail.length})`,
    `  DynamoDB faults injected into the API's requests (${options.dynamoDbFaultPercent}% each): throttled ${report.dynamoDbFaults.throttled}, ` +
      `transaction conflicts ${report.dynamoDbFaults.conflicts}, BatchGets with unprocessed keys ${report.dynamoDbFaults.unprocessedBatches}`,
    `  reads and deletes (${seconds(timings.readsAndDeletes)}): ` +
      `${histogram(countBy(report.readsAndDeletes.exchanges.map((exchange) => `${exchange.route} ${exchange.status}`)))}`,
    `  connection resets retried: ${report.readsAndDeletes.exchanges.filter((exchange) => exchange.status === 0).length}; ` +
      `deleted ${report.readsAndDeletes.deleted.length}; live images not found ${report.readsAndDeletes.liveNotFound.length}; ` +
      `deleted still served ${report.readsAndDeletes.deletedStillServed.length}; objects of deleted images left ${report.readsAndDeletes.objectsLeft.length}`,
    `  after the deletes: ${states(report.afterDeletes)}; records ${report.afterDeletes.records}; ` +
      `lost ${report.afterDeletes.lost.length}, label words not indexed ${report.afterDeletes.missingLabelEntries.length}, ` +
      `CLASSIFIED without a thumbnail ${report.afterDeletes.classifiedWithoutThumbnail.length}`,
    violations.length === 0 ? 'PASS: nothing lost, nothing duplicated' : `FAIL (${violations.length}):`,
    ...violations.map((violation) => `  - ${violation}`),
  ];
  return lines.join('\n');
}

function percentiles(durations: number[]): string {
  if (durations.length === 0) return 'none';
  const sorted = [...durations].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `p50 ${quantile(0.5)} ms, p95 ${quantile(0.95)} ms, max ${quantile(1)} ms`;
}

function states(audit: ImageAudit): string {
  const failed = Object.values(audit.failedByType).reduce((sum, count) => sum + count, 0);
  return `classified ${audit.classified}, failed ${failed} (${histogram(audit.failedByType)}), pending ${audit.pending}`;
}
