/**
 * us-east-1 list prices (December 2026) for what the pipeline pays per image, beyond the free tiers (a pipeline at
 * 1,000 uploads/s spends the free tier in minutes). DynamoDB and S3 storage are the capacity ledger's, not here.
 */
export const US_EAST_1_PRICES = {
  /** Lambda compute per GB-second, by architecture; INIT time is billed as duration too. */
  lambdaGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
  lambdaPerRequest: 0.2 / 1_000_000,
  /** SQS standard queue, per request (each 64 KB chunk of a payload is one request; our messages are < 2 KB). */
  sqsPerRequest: 0.4 / 1_000_000,
} as const;

export type LambdaArchitecture = keyof typeof US_EAST_1_PRICES.lambdaGbSecond;
