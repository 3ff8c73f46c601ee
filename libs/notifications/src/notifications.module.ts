import { AwsModule } from '@app/aws';
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ConnectionsRepository } from './connections.repository.js';
import { ImageStatusNotifier } from './image-status-notifier.js';
import { managementApiClientProvider } from './management-api-client.provider.js';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';
import { notificationsConfig } from './notifications.config.js';
import { WebSocketConnections } from './websocket-connections.js';

/** Live notifications over an API Gateway WebSocket API: the connections it knows, and the notifier. */
@Module({
  imports: [ConfigModule.forFeature(notificationsConfig), AwsModule],
  providers: [managementApiClientProvider, ConnectionsRepository, ImageStatusNotifier, WebSocketConnections],
  exports: [ImageStatusNotifier, WebSocketConnections],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(@Inject(MANAGEMENT_API_CLIENT) private readonly managementApi: ApiGatewayManagementApiClient | null) {}

  onApplicationShutdown(): void {
    this.managementApi?.destroy();
  }
}
