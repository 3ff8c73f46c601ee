import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

type SdkError = Parameters<typeof isTransientError>[0];

/**
 * Whether an AWS call failed in a way another attempt may not: the SDK's own classification (throttling codes and
 * 429, timeouts, 500/502/503/504, refused, reset and unresolved connections, `$retryable` errors), which is what its
 * retry strategy retries, plus two of ours: any other 5xx (the service's fault, not the request's) and the
 * AggregateError Node raises when every address of a host refuses the connection.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isTransientAwsError);
  if (!(error instanceof Error)) return false;
  const sdkError = error as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/**
 * Whether an AWS call was throttled (429, `TooManyRequestsException`, `ProvisionedThroughputExceededException`,
 * `SlowDown`…): the SDK's own list. A throttle says the capacity is exhausted, not that this request is bad.
 */
export function isThrottlingAwsError(error: unknown): boolean {
  return error instanceof Error && isThrottlingError(error as SdkError);
}
