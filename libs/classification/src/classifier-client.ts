import { fullJitterDelayMs, isTransientAwsError, type RetryTiming } from '@app/aws';
import { isCorrelationId } from '@app/observability';
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { parseClassification, parseFunctionError } from './classification-payload.js';
import type { Classification, ClassificationRequest } from './classification.js';
import { CLASSIFIER_LAMBDA_CLIENT, RETRY_TIMING } from './classification.constants.js';
import {
  ClassificationFailedError,
  ClassifierUnavailableError,
  ImageRejectedError,
  type ImageRejectionType,
} from './classification.errors.js';
import { classifierConfig, type ClassifierConfig } from './classifier.config.js';

const IMAGE_REJECTIONS = new Set<string>([
  'InvalidRequest',
  'ImageTooLarge',
  'UndecodableImage',
] satisfies ImageRejectionType[]);
/** Function errors of the classifier that may pass on a later try (see ClassificationFailedError). */
const TRANSIENT_CLASSIFICATION_FAILURES = new Set(['DownloadFailed', 'DeadlineExceeded']);

/** An attempt that failed in a way another attempt may not. */
interface RetryableFailure {
  errorType: string;
  errorMessage: string;
  cause: unknown;
}

type AttemptOutcome = { classification: Classification } | { retryable: RetryableFailure };

/**
 * Classifies an image by invoking the classifier Lambda (RequestResponse). Retries what may pass on another try —
 * throttling, timeouts, 5xx and network errors, `Sandbox.Timedout` and `Runtime.*` function errors, `DownloadFailed`
 * and `DeadlineExceeded` — with exponential back-off and full jitter; never retries a typed permanent error.
 * Retrying is safe because classifying has no side effects, even when a timed-out attempt still runs.
 */
@Injectable()
export class ClassifierClient {
  private readonly logger = new Logger(ClassifierClient.name);

  constructor(
    @Inject(CLASSIFIER_LAMBDA_CLIENT) private readonly lambda: LambdaClient,
    @Inject(classifierConfig.KEY) private readonly config: ClassifierConfig,
    @Inject(RETRY_TIMING) private readonly timing: RetryTiming,
  ) {}

  /**
   * @throws ImageRejectedError the classifier refuses this image (permanent).
   * @throws ClassificationFailedError the classifier ran but could not classify it (see `transient`).
   * @throws ClassifierUnavailableError the classifier could not be invoked or did not answer, after every attempt.
   */
  async classify(request: ClassificationRequest): Promise<Classification> {
    const payload = JSON.stringify({
      imageUrl: request.imageUrl,
      topK: request.topK,
      // The classifier refuses an id outside its charset: an odd one is left out rather than failing the image.
      imageId: isCorrelationId(request.imageId) ? request.imageId : undefined,
      correlationId: isCorrelationId(request.correlationId) ? request.correlationId : undefined,
    });
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.config.retry;
    let failure: RetryableFailure | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (failure) {
        const delayMs = fullJitterDelayMs(attempt - 1, baseDelayMs, maxDelayMs, this.timing.random);
        this.logger.warn(
          `Classifier attempt ${attempt - 1} of ${maxAttempts} failed (${failure.errorType}); retrying in ${delayMs} ms`,
        );
        await this.timing.sleep(delayMs);
      }
      const outcome = await this.attempt(payload);
      if ('classification' in outcome) return outcome.classification;
      failure = outcome.retryable;
    }
    throw afterLastAttempt(failure!, maxAttempts);
  }

  private async attempt(payload: string): Promise<AttemptOutcome> {
    let output: InvokeCommandOutput;
    try {
      output = await this.lambda.send(
        new InvokeCommand({
          FunctionName: this.config.functionName,
          InvocationType: 'RequestResponse',
          Payload: payload,
        }),
      );
    } catch (error) {
      const errorType = error instanceof Error ? error.name : 'UnknownError';
      const errorMessage = error instanceof Error ? error.message : String(error);
      if (isTransientAwsError(error)) return { retryable: { errorType, errorMessage, cause: error } };
      const message = `The classifier cannot be invoked (${errorType}: ${errorMessage})`;
      throw new ClassifierUnavailableError(errorType, message, { cause: error });
    }
    const body = decodeJson(output.Payload);
    // A function error arrives as a 200 whose payload is the error JSON; it must never pass for a result.
    if (output.FunctionError) return functionFailure(body);
    const classification = parseClassification(body);
    if (!classification) {
      const message = 'The classifier answered with something other than a classification';
      throw new ClassificationFailedError('MalformedResponse', false, message, { cause: body });
    }
    return { classification };
  }
}

function functionFailure(body: unknown): AttemptOutcome {
  const { errorType, errorMessage } = parseFunctionError(body);
  if (IMAGE_REJECTIONS.has(errorType)) {
    throw new ImageRejectedError(errorType as ImageRejectionType, errorMessage, { cause: body });
  }
  const runDidNotFinish = errorType === 'Sandbox.Timedout' || errorType.startsWith('Runtime.');
  if (runDidNotFinish || TRANSIENT_CLASSIFICATION_FAILURES.has(errorType)) {
    return { retryable: { errorType, errorMessage, cause: body } };
  }
  const message = `Classification failed (${errorType}): ${errorMessage}`;
  throw new ClassificationFailedError(errorType, false, message, { cause: body });
}

function afterLastAttempt(failure: RetryableFailure, attempts: number): Error {
  const { errorType, errorMessage, cause } = failure;
  if (TRANSIENT_CLASSIFICATION_FAILURES.has(errorType)) {
    const message = `Classification failed after ${attempts} attempt(s) (${errorType}): ${errorMessage}`;
    return new ClassificationFailedError(errorType, true, message, { cause });
  }
  const message = `The classifier is unavailable (${errorType} after ${attempts} attempt(s))`;
  return new ClassifierUnavailableError(errorType, message, { cause });
}

function decodeJson(payload: Uint8Array | undefined): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(payload ?? new Uint8Array()));
  } catch {
    return undefined;
  }
}
