import { ServiceUnavailableError } from '@app/errors';
import { isTransientAwsError } from './transient-error.js';

/** The message of every 503 a dependency causes (the shared error body's `message`). */
export function unavailableMessage(dependency: string): string {
  return `${dependency} is unavailable; try again later`;
}

/**
 * Turns an AWS SDK failure that is the dependency's fault (unreachable, throttled, 5xx) into a
 * ServiceUnavailableError (503), so an outage is reported as such; anything else is returned unchanged
 * for the caller to handle or to surface as a bug.
 */
export function dependencyFailure(error: unknown, dependency: string): unknown {
  return isTransientAwsError(error)
    ? new ServiceUnavailableError(unavailableMessage(dependency), { cause: error })
    : error;
}

/** For `.catch(...)` on SDK calls: rethrows the failure, translated as above. */
export function rethrowDependencyFailure(dependency: string): (error: unknown) => never {
  return (error) => {
    throw dependencyFailure(error, dependency);
  };
}
