export { awsConfig, type AwsConfig, type RetryBudget } from './aws.config.js';
export { AwsModule } from './aws.module.js';
export { dependencyFailure, rethrowDependencyFailure, unavailableMessage } from './dependency-failure.js';
export { fullJitterDelayMs, systemRetryTiming, type RetryClock, type RetryTiming } from './retry-timing.js';
export { traced } from './aws-clients.providers.js';
export { retryWithinBudget } from './retry-within-budget.js';
export {
  cancellationCause,
  failedConditions,
  ThrottleSafeDynamoDb,
  type CancellationCause,
} from './throttle-safe-dynamodb.js';
export { isThrottlingAwsError, isTransientAwsError } from './transient-error.js';
