import { ServiceUnavailableError } from '@app/errors';

const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalError',
  'SlowDown',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Turns an AWS SDK failure that is the dependency's fault (unreachable, throttled, 5xx) into a
 * ServiceUnavailableError (503), so an outage is reported as such; anything else is returned unchanged
 * for the caller to handle or to surface as a bug.
 */
export function dependencyFailure(error: unknown, dependency: string): unknown {
  if (!(error instanceof Error)) return error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  const transient =
    TRANSIENT_ERROR_NAMES.has(error.name) ||
    (code !== undefined && NETWORK_ERROR_CODES.has(code)) ||
    (status !== undefined && status >= 500) ||
    error.name === 'AggregateError';
  return transient ? new ServiceUnavailableError(`${dependency} is unavailable; try again later`, { cause: error }) : error;
}

/** For `.catch(...)` on SDK calls: rethrows the failure, translated as above. */
export function rethrowDependencyFailure(dependency: string): (error: unknown) => never {
  return (error) => {
    throw dependencyFailure(error, dependency);
  };
}
