import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

/**
 * Whether an AWS call failed in a way another attempt may not: the SDK's own classification (throttling codes and
 * 429, timeouts, 5xx, refused and reset connections, `$retryable` errors), which is what its retry strategy uses,
 * plus the AggregateError Node raises when every address of a host refuses the connection.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isTransientAwsError);
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}
