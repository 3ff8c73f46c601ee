import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FactoryProvider } from '@nestjs/common';
import { AWS_CLIENT_CAPTURE, type AwsClientCapture } from '@app/observability';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { awsConfig, type AwsConfig } from './aws.config.js';
import { fullJitterDelayMs } from './retry-timing.js';

/**
 * Clients carry region and endpoint only: credentials come from the default chain (the Lambda execution role).
 * DynamoDB requests that are throttled, time out or meet a 5xx are retried by the SDK's standard strategy (its
 * classification, and a retry quota that stops retrying when most requests fail) with the same full-jitter
 * back-off as ThrottleSafeDynamoDb: DynamoDB throttles clear in tens of milliseconds, not the generic 500 ms base.
 * Not the adaptive mode: its client-side rate limiter delays every later request of the client, which a Lambda
 * instance serving one request at a time pays as latency without sparing DynamoDB anything.
 * Where the application imports TracingModule (the queue workers, the notifier), AWS_CLIENT_CAPTURE traces the client
 * (X-Ray subsegments); elsewhere it is absent and the client is used as built.
 */
export const dynamoDbDocumentClientProvider: FactoryProvider<DynamoDBDocumentClient> = {
  provide: DynamoDBDocumentClient,
  inject: [awsConfig.KEY, { token: AWS_CLIENT_CAPTURE, optional: true }],
  useFactory: (config: AwsConfig, capture?: AwsClientCapture) =>
    DynamoDBDocumentClient.from(
      traced(
        capture,
        new DynamoDBClient({
          region: config.region,
          endpoint: config.dynamodbEndpoint,
          retryStrategy: new ConfiguredRetryStrategy(config.dynamoDbMaxAttempts, (nextAttempt) => {
            const { baseDelayMs, maxDelayMs } = config.dynamoDbRetry;
            return fullJitterDelayMs(nextAttempt - 1, baseDelayMs, maxDelayMs, Math.random);
          }),
        }),
      ),
      { marshallOptions: { removeUndefinedValues: true } },
    ),
};

export const s3ClientProvider: FactoryProvider<S3Client> = {
  provide: S3Client,
  inject: [awsConfig.KEY, { token: AWS_CLIENT_CAPTURE, optional: true }],
  useFactory: (config: AwsConfig, capture?: AwsClientCapture) =>
    traced(
      capture,
      new S3Client({
        region: config.region,
        endpoint: config.s3Endpoint,
        forcePathStyle: config.s3ForcePathStyle,
        // With the default (WHEN_SUPPORTED) a presigned PUT carries the CRC32 of an empty body, which S3 rejects,
        // and stream uploads to s3rver are stored with their aws-chunked framing.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    ),
};

/** The client, instrumented when the application traces. */
export function traced<Client extends object>(capture: AwsClientCapture | undefined, client: Client): Client {
  return capture === undefined ? client : capture(client);
}
