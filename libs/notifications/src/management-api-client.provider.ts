import { traced } from '@app/aws';
import { AWS_CLIENT_CAPTURE, type AwsClientCapture } from '@app/observability';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { FactoryProvider } from '@nestjs/common';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';

/** Bounds one push, so that a hung connection cannot hold up the pipeline that notifies. */
const POST_TIMEOUT_MS = 5_000;

/**
 * Region and endpoint only: credentials come from the default chain (the Lambda execution role in AWS). The
 * management API has no regional default endpoint: without one, there is no client and notifications are off.
 */
export const managementApiClientProvider: FactoryProvider<ApiGatewayManagementApiClient | null> = {
  provide: MANAGEMENT_API_CLIENT,
  inject: [notificationsConfig.KEY, { token: AWS_CLIENT_CAPTURE, optional: true }],
  useFactory: (config: NotificationsConfig, capture?: AwsClientCapture) =>
    config.managementEndpoint === undefined
      ? null
      : traced(
          capture,
          new ApiGatewayManagementApiClient({
            region: config.region,
            endpoint: config.managementEndpoint,
            // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
            requestHandler: { requestTimeout: POST_TIMEOUT_MS, throwOnRequestTimeout: true },
          }),
        ),
};
