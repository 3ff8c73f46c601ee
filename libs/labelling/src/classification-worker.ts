import { imageIdOfObjectKey, ImageProcessingService, type ImageRecord } from '@app/images';
import { withLogKeys } from '@app/observability';
import { Injectable, Logger } from '@nestjs/common';
import type { SQSRecord } from 'aws-lambda';
import { ImageLabeller, type LabellingOutcome } from './image-labeller.js';
import { describeTarget, MalformedMessageError, pipelineTargets, type PipelineTarget } from './pipeline-message.js';

/**
 * One message of the classification queue. Returns normally when the message is done with — classified, failed
 * for good, a duplicate, or unusable (malformed, unknown image, a key outside images/: logged with the reason and
 * deleted, never retried into a poison loop). Throws when it should be delivered again (the classifier is busy or
 * down, DynamoDB failed): the batch processor reports it alone as a failure, its batch-mates are not re-run.
 */
@Injectable()
export class ClassificationWorker {
  private readonly logger = new Logger(ClassificationWorker.name);

  constructor(
    private readonly images: ImageProcessingService,
    private readonly labeller: ImageLabeller,
  ) {}

  async handle(record: WorkerRecord): Promise<LabellingOutcome[]> {
    const targets = readTargets(record, this.logger);
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const outcomes: LabellingOutcome[] = [];
    for (const target of targets) {
      const image = await findTarget(this.images, target, record, this.logger);
      if (image === undefined) continue;
      const claimToken = 'claimToken' in target ? target.claimToken : undefined;
      // An upload's event (not a re-classification request): its latency to the label is measured from here.
      const queuedAt =
        'objectKey' in target && record.attributes?.SentTimestamp ? Number(record.attributes.SentTimestamp) : undefined;
      const delivery = { receiveCount, claimToken, queuedAt };
      const outcome = await withLogKeys(imageLogKeys(image), () => {
        // The queue's part of the image's timeline (npm run trace): how long the message waited.
        const sentAt = Number(record.attributes?.SentTimestamp ?? Number.NaN);
        const waited = Number.isFinite(sentAt) ? `, queued ${Date.now() - sentAt} ms ago` : '';
        const received = `message ${record.messageId} received (delivery ${receiveCount}${waited})`;
        this.logger.log(`Image ${image.imageId}: ${received}`);
        return this.labeller.label(image, delivery);
      });
      outcomes.push(outcome);
    }
    return outcomes;
  }
}

/** The message's targets, or none (logged) when it is malformed. */
export function readTargets(record: Pick<SQSRecord, 'messageId' | 'body'>, logger: Logger): PipelineTarget[] {
  try {
    return pipelineTargets(record.body);
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    logger.warn(`Message ${record.messageId} deleted: malformed (${error.message})`);
    return [];
  }
}

/** The keys of every line logged about an image: its id and the correlation id of the request that created it. */
export function imageLogKeys({ imageId, correlationId }: ImageRecord): Pick<ImageRecord, 'imageId' | 'correlationId'> {
  return { imageId, correlationId };
}

/** What the workers read of an SQS record. */
export type WorkerRecord = Pick<SQSRecord, 'messageId' | 'body'> & { attributes?: Partial<SQSRecord['attributes']> };

/**
 * How long an upload's image may be missing before its message is dropped: the image is written before its upload
 * URL is handed out, but found through an eventually consistent index, which may lag a photo uploaded at once.
 */
const INDEX_LAG_GRACE_MS = 60_000;

/** The image was not found yet: the message comes back (after its visibility timeout) instead of being dropped. */
export class ImageNotVisibleYetError extends Error {
  override readonly name = 'ImageNotVisibleYetError';
}

/**
 * The target's image, or undefined (logged) when the key is not an upload or the image does not exist. A fresh
 * upload whose image is not visible yet throws ImageNotVisibleYetError instead, so it is not lost.
 */
export async function findTarget(
  images: ImageProcessingService,
  target: PipelineTarget,
  record: WorkerRecord,
  logger: Logger,
): Promise<ImageRecord | undefined> {
  const image =
    'objectKey' in target ? await images.findByObjectKey(target.objectKey) : await images.findById(target.imageId);
  if (image !== undefined) return image;
  const sentAt = Number(record.attributes?.SentTimestamp ?? 0);
  if (
    'objectKey' in target &&
    imageIdOfObjectKey(target.objectKey) !== undefined &&
    Date.now() - sentAt < INDEX_LAG_GRACE_MS
  ) {
    throw new ImageNotVisibleYetError(
      `Message ${record.messageId}: ${describeTarget(target)} has no image yet; delivered again later`,
    );
  }
  logger.warn(
    `Message ${record.messageId}: ${describeTarget(target)} is not an image upload, or its image is gone; deleted`,
  );
  return undefined;
}
