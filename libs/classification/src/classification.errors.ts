import { DomainError, InvalidInputError, ServiceUnavailableError } from '@app/errors';

/** The classifier's typed refusals of an image: the same image will always be refused. */
export type ImageRejectionType = 'InvalidRequest' | 'ImageTooLarge' | 'UndecodableImage';

const REJECTION_REASONS: Record<ImageRejectionType, string> = {
  InvalidRequest: 'the classification request is invalid',
  ImageTooLarge: 'the image is too large to classify',
  UndecodableImage: 'the file is not an image the classifier can read',
};

/** Permanent: the classifier refused this image (never retried). */
export class ImageRejectedError extends InvalidInputError {
  /** For people: why the image cannot be classified. */
  readonly reason: string;

  constructor(
    readonly errorType: ImageRejectionType,
    /** The classifier's own words. */
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    const reason = REJECTION_REASONS[errorType];
    super(`Image rejected: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * The classifier ran but could not classify the image. `transient` tells whether a later try may succeed:
 * - `DownloadFailed` (the image URL did not answer, or not with 2xx) and `DeadlineExceeded` (the classifier ran out of
 *   time) are transient: they were already retried, and the caller may try again later.
 * - `ModelError` (inference failed), `MalformedResponse` (a success payload that breaks the contract) and any
 *   errorType outside the contract are not: the same input fails the same way, so they are not retried.
 */
export class ClassificationFailedError extends DomainError {
  constructor(
    readonly errorType: string,
    readonly transient: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The classifier could not be reached or did not run to an answer: throttled, timed out, crashed, 5xx, after every
 * attempt; or it cannot be invoked at all (unknown function, access denied: not retried). `lastErrorType` is the last
 * failure's name (an SDK exception name such as `TooManyRequestsException`, or a function errorType such as
 * `Sandbox.Timedout`).
 */
export class ClassifierUnavailableError extends ServiceUnavailableError {
  constructor(
    readonly lastErrorType: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
