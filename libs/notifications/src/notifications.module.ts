import { AwsModule } from '@app/aws';
import { MetricsModule } from '@app/observability';
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ConnectionsRepository } from './connections.repository.js';
import { ImageStatusNotifier } from './image-status-notifier.js';
import { ImageStatusStreamHandler } from './image-status-stream-handler.js';
import { managementApiClientProvider } from './management-api-client.provider.js';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';
import { notificationsConfig } from './notifications.config.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { WebSocketConnections } from './websocket-connections.js';

/**
 * Live notifications over an API Gateway WebSocket API: the connections and the groups they watch, and the
 * notifier that the images table's stream drives.
 */
@Module({
  imports: [ConfigModule.forFeature(notificationsConfig), AwsModule, MetricsModule],
  providers: [
    managementApiClientProvider,
    ConnectionsRepository,
    SubscriptionsRepository,
    WebSocketConnections,
    ImageStatusNotifier,
    ImageStatusStreamHandler,
  ],
  exports: [ImageStatusNotifier, ImageStatusStreamHandler, WebSocketConnections],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(@Inject(MANAGEMENT_API_CLIENT) private readonly managementApi: ApiGatewayManagementApiClient | null) {}

  onApplicationShutdown(): void {
    this.managementApi?.destroy();
  }
}
