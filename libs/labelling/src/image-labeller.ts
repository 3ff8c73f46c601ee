import {
  ClassificationFailedError,
  ClassifierClient,
  ClassifierUnavailableError,
  ImageRejectedError,
} from '@app/classification';
import { ImageProcessingService, type ClassificationClaim, type ImageFailure, type ImageRecord } from '@app/images';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';

/** What a labelling run did. */
export type LabellingOutcome =
  | 'CLASSIFIED'
  | 'FAILED'
  /** Another run holds the image, or it is no longer PENDING (a duplicate or late event). */
  | 'SKIPPED'
  /** A newer run (a re-classification) took the image over while this one ran; its result was dropped. */
  | 'SUPERSEDED';

/**
 * Classifies one image and records the outcome: CLASSIFIED with its labels, or FAILED with the error type and a
 * reason. Permanent refusals end at once; transient failures were already retried by the ClassifierClient, and
 * when they persist the image is FAILED and a dead letter is sent. The images table's stream announces the change.
 */
@Injectable()
export class ImageLabeller {
  private readonly logger = new Logger(ImageLabeller.name);

  constructor(
    private readonly images: ImageProcessingService,
    private readonly classifier: ClassifierClient,
    private readonly deadLetters: DeadLetterQueue,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
  ) {}

  /** `force` re-classifies whatever the image's state; otherwise only a PENDING image nobody is working on. */
  async label(image: ImageRecord, options: { force: boolean }): Promise<LabellingOutcome> {
    const staleBefore = new Date(Date.now() - this.config.claimTimeoutSeconds * 1000).toISOString();
    const claim = await this.images.claim(image, { force: options.force, staleBefore });
    if (claim === undefined) {
      this.logger.log(`Image ${image.imageId}: not PENDING or already being classified; skipped`);
      return 'SKIPPED';
    }
    try {
      const failure = await this.classify(claim);
      if (failure === undefined) return 'CLASSIFIED';
      return (await this.fail(claim, failure)) ? 'FAILED' : 'SUPERSEDED';
    } catch (error) {
      // Unexpected (a bug, DynamoDB down): hand the image back so that the retried event can take it at once.
      await this.images.releaseClaim(claim).catch((releaseError: unknown) => {
        this.logger.warn(`Image ${image.imageId}: claim not released (${describe(releaseError)}); it goes stale instead`);
      });
      throw error;
    }
  }

  /** Records a failure found outside classification (e.g. the photo never arrived). */
  async fail(claim: ClassificationClaim, failure: ImageFailure & { deadLetter?: boolean }): Promise<boolean> {
    const recorded = await this.images.recordFailure(claim, { errorType: failure.errorType, reason: failure.reason });
    if (!recorded) return false;
    this.logger.warn(`Image ${claim.image.imageId}: FAILED (${failure.errorType}: ${failure.reason})`);
    if (failure.deadLetter === true) {
      await this.deadLetters.send({
        imageId: claim.image.imageId,
        objectKey: claim.image.objectKey,
        errorType: failure.errorType,
        reason: failure.reason,
        failedAt: new Date().toISOString(),
      });
    }
    return true;
  }

  /** Undefined when the image was classified (or the run superseded); otherwise the failure to record. */
  private async classify(claim: ClassificationClaim): Promise<(ImageFailure & { deadLetter: boolean }) | undefined> {
    try {
      const result = await this.classifier.classify({ imageUrl: await this.images.photoUrl(claim.image), topK: this.config.topK });
      const recorded = await this.images.recordClassification(claim, {
        classLabel: result.label,
        confidence: result.confidence,
        labels: result.labels,
        model: result.model,
      });
      if (recorded) {
        this.logger.log(`Image ${claim.image.imageId}: CLASSIFIED as "${result.label}" (${result.confidence.toFixed(3)})`);
      }
      return undefined;
    } catch (error) {
      if (error instanceof ClassificationFailedError) this.logger.warn(`Image ${claim.image.imageId}: ${error.message}`);
      return asFailure(error);
    }
  }
}

const FAILURE_REASONS: Record<string, string> = {
  DownloadFailed: 'The classifier could not download the photo; retried with back-off, then gave up',
  DeadlineExceeded: 'The classifier ran out of time; retried with back-off, then gave up',
  ModelError: 'The classifier failed on this image',
  MalformedResponse: 'The classifier answered with something other than a classification',
};

/** The classifier's typed errors become a recorded failure; anything else (a bug, DynamoDB down) propagates. */
function asFailure(error: unknown): ImageFailure & { deadLetter: boolean } {
  if (error instanceof ImageRejectedError) {
    return { errorType: error.errorType, reason: capitalise(error.reason), deadLetter: false };
  }
  if (error instanceof ClassificationFailedError) {
    // The classifier's own message names hosts and keys: it goes to the logs, the image gets a sentence.
    const reason = FAILURE_REASONS[error.errorType] ?? 'The classifier could not classify this image';
    return { errorType: error.errorType, reason, deadLetter: error.transient };
  }
  if (error instanceof ClassifierUnavailableError) {
    return {
      errorType: 'ClassifierUnavailable',
      reason: `The classifier did not answer (${error.lastErrorType}); retried with back-off, then gave up`,
      deadLetter: true,
    };
  }
  throw error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
