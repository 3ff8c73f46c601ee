import { inImageSubsegment, UdagramMetrics, withLogKeys } from '@app/observability';
import { Injectable, Logger, Optional } from '@nestjs/common';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { statusMessageOf } from './image-status-change.js';
import type { ImageStatusMessage } from './image-status-message.js';
import { ImageStatusNotifier } from './image-status-notifier.js';

/** The notifier function's timeout (serverless.ts): twice the worst case of one notification, below. */
export const NOTIFIER_TIMEOUT_SECONDS = 120;

/**
 * Time a notification may need once started: the worst case, one group with 100,000 watchers, takes
 * 100,000 × 20 ms / 50 posts in flight = 40 s. No new notification starts with less than this left.
 */
export const NOTIFICATION_TIME_RESERVE_MS = 45_000;

/**
 * Notifications of one batch run at once (their posts share the notifier's POST_CONCURRENCY). A small group's
 * notification takes ≈8 Queries × 10 ms + a post round of 20 ms ≈ 0.1 s, so one invocation announces
 * ≈10 / 0.1 s = 100 changes/s, and a stream shard read with a parallelization factor of 10 ≈1,000/s.
 */
export const NOTIFICATION_CONCURRENCY = 10;

/**
 * The notifier function's work: a batch of the images table's stream records becomes one notification per image
 * (its latest change in the batch: a client re-reads the image anyway), started in stream order, several at once
 * (NOTIFICATION_CONCURRENCY). When time runs short the rest is handed back as a partial batch failure, and Lambda
 * resumes the shard from the first record not announced.
 * Not Powertools' BatchProcessor: it handles records one by one and reports each failure, while this coalesces the
 * records of one image and checkpoints on time left rather than on failures (a notification never fails).
 */
@Injectable()
export class ImageStatusStreamHandler {
  private readonly logger = new Logger(ImageStatusStreamHandler.name);

  constructor(
    private readonly notifier: ImageStatusNotifier,
    @Optional() private readonly metrics?: UdagramMetrics,
  ) {}

  async handle(records: readonly DynamoDBRecord[], remainingTimeMs: () => number): Promise<DynamoDBBatchResponse> {
    const latest = new Map<string, { message: ImageStatusMessage; firstIndex: number; lastIndex: number }>();
    records.forEach((record, index) => {
      const message = statusMessageOf(record);
      if (message === undefined) return;
      const earlier = latest.get(message.imageId);
      latest.set(message.imageId, { message, firstIndex: earlier?.firstIndex ?? index, lastIndex: index });
    });
    const announcements = [...latest.values()].sort((a, b) => a.lastIndex - b.lastIndex);

    let next = 0;
    let outOfTime = false;
    const worker = async (): Promise<void> => {
      while (next < announcements.length && !outOfTime) {
        if (remainingTimeMs() < NOTIFICATION_TIME_RESERVE_MS) {
          outOfTime = true;
          return;
        }
        const { message } = announcements[next++]!;
        await withLogKeys({ imageId: message.imageId, correlationId: message.correlationId }, async () => {
          const report = await inImageSubsegment('notify', message, () => this.notifier.notify(message));
          this.metrics?.notifications(report);
          const sent = `${report.sent} sent, ${report.gone} gone, ${report.failed} failed`;
          const line = `Image ${message.imageId} ${message.status}: group ${message.groupId}, ${sent}`;
          // A change nobody watches is the common case: at 1,000 changes/s a line each is worth DEBUG only.
          if (report.sent + report.gone + report.failed === 0) this.logger.debug(line);
          else this.logger.log(line);
        });
      }
    };
    await Promise.all(Array.from({ length: NOTIFICATION_CONCURRENCY }, worker));
    if (next >= announcements.length) return { batchItemFailures: [] };

    // Resume at the first record whose image is not announced yet (records before it are done or say nothing).
    const resumeAt = Math.min(...announcements.slice(next).map(({ firstIndex }) => firstIndex));
    const sequenceNumber = records[resumeAt]!.dynamodb?.SequenceNumber;
    this.logger.warn(`${announcements.length - next} notifications left for the next invocation (time is short)`);
    return { batchItemFailures: sequenceNumber === undefined ? [] : [{ itemIdentifier: sequenceNumber }] };
  }
}
