import { isThrottlingAwsError } from '@app/aws';
import {
  ClassificationFailedError,
  ClassifierClient,
  ClassifierUnavailableError,
  ImageRejectedError,
} from '@app/classification';
import { describeError } from '@app/errors';
import { ImageProcessingService, type ClassificationClaim, type ImageFailure, type ImageRecord } from '@app/images';
import { inImageSubsegment, UdagramMetrics } from '@app/observability';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';

/** What a labelling run did. */
export type LabellingOutcome =
  | 'CLASSIFIED'
  | 'FAILED'
  /** Another run holds the image, or it has nothing left to classify (a duplicate or late delivery). */
  | 'SKIPPED'
  /** A newer run (a re-classification) took the image over while this one ran; its result was dropped. */
  | 'SUPERSEDED';

/** One delivery of a queue message: which one it is decides what a transient failure does. */
export interface Delivery {
  /** SQS's ApproximateReceiveCount. */
  receiveCount: number;
  /** A re-classification's token: the run adopts that claim instead of claiming a PENDING image. */
  claimToken?: string;
  /** When an upload's event reached the queue (SQS SentTimestamp, epoch ms): the start of upload → label. */
  queuedAt?: number;
}

/**
 * The classifier failed for now (throttled, unavailable, timed out): the message goes back to the queue and is
 * delivered again after its visibility timeout, then to the dead-letter queue after maxReceiveCount deliveries.
 */
export class ClassificationDeferredError extends Error {
  override readonly name = 'ClassificationDeferredError';
}

/**
 * Classifies one image and records the outcome: CLASSIFIED with its labels, or FAILED with the error type and a
 * reason. Permanent refusals end at once. Transient failures (already retried by the ClassifierClient) hand the
 * image back and defer the message; a throttle never marks the image, and on the last delivery any other transient
 * failure is recorded (without destroying an earlier result) before the message dead-letters. The images table's
 * stream announces every change; nothing here waits on notifications.
 */
@Injectable()
export class ImageLabeller {
  private readonly logger = new Logger(ImageLabeller.name);

  constructor(
    private readonly images: ImageProcessingService,
    private readonly classifier: ClassifierClient,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
    @Optional() private readonly metrics?: UdagramMetrics,
  ) {}

  /** One delivery's run, traced under the image's ids; a throw on the last delivery sends the message to the DLQ. */
  async label(image: ImageRecord, delivery: Delivery): Promise<LabellingOutcome> {
    try {
      const outcome = await inImageSubsegment('label', image, () => this.labelDelivery(image, delivery));
      if (outcome === 'CLASSIFIED')
        this.metrics?.imageLabelled(delivery.queuedAt === undefined ? undefined : Date.now() - delivery.queuedAt);
      return outcome;
    } catch (error) {
      if (delivery.receiveCount >= this.config.maxReceiveCount) this.metrics?.deadLetter('classification');
      throw error;
    }
  }

  private async labelDelivery(image: ImageRecord, delivery: Delivery): Promise<LabellingOutcome> {
    const staleBefore = this.images.claimStaleBefore();
    const claim =
      delivery.claimToken === undefined
        ? await this.images.claim(image, staleBefore)
        : await this.images.adopt(image, delivery.claimToken, staleBefore);
    if (claim === 'HELD') {
      // Another run holds it: look again later, in case that run fails (a duplicate must not drop the last message).
      throw new ClassificationDeferredError(
        `Image ${image.imageId}: being classified by another run; looked at again later`,
      );
    }
    if (claim === 'DONE') {
      this.logger.log(`Image ${image.imageId}: nothing to classify (done, or superseded by a newer request); skipped`);
      return 'SKIPPED';
    }
    let failure: TransientFailure | PermanentFailure | 'CLASSIFIED' | 'SUPERSEDED';
    try {
      failure = await this.classify(claim);
    } catch (error) {
      // Unexpected (a bug, DynamoDB down): hand the image back so that the next delivery can take it at once.
      await this.release(claim);
      throw error;
    }
    if (failure === 'CLASSIFIED' || failure === 'SUPERSEDED') return failure;
    if (failure.kind === 'permanent') return (await this.fail(claim, failure, false)) ? 'FAILED' : 'SUPERSEDED';
    const lastDelivery = delivery.receiveCount >= this.config.maxReceiveCount;
    if (failure.throttled || !lastDelivery) {
      await this.release(claim);
    } else if (!(await this.fail(claim, failure, true))) {
      return 'SUPERSEDED';
    }
    throw new ClassificationDeferredError(
      `Image ${image.imageId}: ${failure.errorType} on delivery ${delivery.receiveCount} of ${this.config.maxReceiveCount}; back to the queue`,
    );
  }

  private async fail(claim: ClassificationClaim, failure: ImageFailure, transient: boolean): Promise<boolean> {
    const recorded = await this.images.recordFailure(
      claim,
      { errorType: failure.errorType, reason: failure.reason },
      { transient },
    );
    if (!recorded) return false;
    this.metrics?.imageFailed(failure.errorType);
    const keptLabels = transient && claim.image.classLabel !== undefined;
    this.logger.warn(
      `Image ${claim.image.imageId}: ${keptLabels ? 'labels kept after' : 'FAILED'} (${failure.errorType}: ${failure.reason})`,
    );
    return true;
  }

  /** CLASSIFIED, SUPERSEDED (a newer run holds the image: the result was dropped), or the failure. */
  private async classify(
    claim: ClassificationClaim,
  ): Promise<TransientFailure | PermanentFailure | 'CLASSIFIED' | 'SUPERSEDED'> {
    try {
      const { imageId, correlationId } = claim.image;
      const imageUrl = await this.images.photoUrl(claim.image);
      const startedAt = performance.now();
      const result = await this.classifier.classify({ imageUrl, topK: this.config.topK, imageId, correlationId });
      this.metrics?.classifierTimings(result.timings, performance.now() - startedAt);
      const recorded = await this.images.recordClassification(claim, {
        classLabel: result.label,
        confidence: result.confidence,
        labels: result.labels,
        model: result.model,
      });
      if (recorded) {
        this.logger.log(
          `Image ${claim.image.imageId}: CLASSIFIED as "${result.label}" (${result.confidence.toFixed(3)})`,
        );
        return 'CLASSIFIED';
      }
      return 'SUPERSEDED';
    } catch (error) {
      if (error instanceof ClassificationFailedError)
        this.logger.warn(`Image ${claim.image.imageId}: ${error.message}`);
      return asFailure(error);
    }
  }

  private async release(claim: ClassificationClaim): Promise<void> {
    await this.images.releaseClaim(claim).catch((releaseError: unknown) => {
      this.logger.warn(
        `Image ${claim.image.imageId}: claim not released (${describeError(releaseError)}); it goes stale instead`,
      );
    });
  }
}

interface PermanentFailure extends ImageFailure {
  kind: 'permanent';
}

interface TransientFailure extends ImageFailure {
  kind: 'transient';
  /** The classifier's concurrency was exhausted (429): capacity, not this photo. */
  throttled: boolean;
}

const FAILURE_REASONS: Record<string, string> = {
  DownloadFailed: 'The classifier could not download the photo; retried with back-off, then gave up',
  DeadlineExceeded: 'The classifier ran out of time; retried with back-off, then gave up',
  ModelError: 'The classifier failed on this image',
  MalformedResponse: 'The classifier answered with something other than a classification',
};

/** The classifier's typed errors become a failure; anything else (a bug, DynamoDB down) propagates. */
function asFailure(error: unknown): TransientFailure | PermanentFailure {
  if (error instanceof ImageRejectedError) {
    return { kind: 'permanent', errorType: error.errorType, reason: capitalise(error.reason) };
  }
  if (error instanceof ClassificationFailedError) {
    // The classifier's own message names hosts and keys: it goes to the logs, the image gets a sentence.
    const reason = FAILURE_REASONS[error.errorType] ?? 'The classifier could not classify this image';
    return error.transient
      ? { kind: 'transient', errorType: error.errorType, reason, throttled: false }
      : { kind: 'permanent', errorType: error.errorType, reason };
  }
  if (error instanceof ClassifierUnavailableError) {
    return {
      kind: 'transient',
      errorType: 'ClassifierUnavailable',
      reason: `The classifier did not answer (${error.lastErrorType}); retried, then left for a later try`,
      // Its cause is the SDK's error of the last attempt (a function error's cause is the classifier's answer).
      throttled: isThrottlingAwsError(error.cause),
    };
  }
  throw error;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
