/** How ThrottleSafeDynamoDb waits between attempts and draws its jitter; tests replace it. */
export const DYNAMODB_RETRY_TIMING = Symbol('DYNAMODB_RETRY_TIMING');
