import { traced } from '@app/aws';
import { AWS_CLIENT_CAPTURE, type AwsClientCapture } from '@app/observability';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { FactoryProvider } from '@nestjs/common';
import { CLASSIFIER_LAMBDA_CLIENT } from './classification.constants.js';
import { classifierConfig, type ClassifierConfig } from './classifier.config.js';

/** Region and endpoint only: credentials come from the default chain (the Lambda execution role in AWS). */
export const classifierLambdaClientProvider: FactoryProvider<LambdaClient> = {
  provide: CLASSIFIER_LAMBDA_CLIENT,
  inject: [classifierConfig.KEY, { token: AWS_CLIENT_CAPTURE, optional: true }],
  useFactory: (config: ClassifierConfig, capture?: AwsClientCapture) =>
    traced(
      capture,
      new LambdaClient({
        region: config.region,
        endpoint: config.endpoint,
        // Invoke is not idempotent and the SDK would resend it after a 500; ClassifierClient decides what to retry.
        maxAttempts: 1,
        // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
        requestHandler: { requestTimeout: config.timeoutMs, throwOnRequestTimeout: true },
      }),
    ),
};
