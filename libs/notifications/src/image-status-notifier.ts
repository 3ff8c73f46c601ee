import {
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsRepository } from './connections.repository.js';
import { forEachConcurrently } from './for-each-concurrently.js';
import type { ImageStatusMessage } from './image-status-message.js';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';

/** Pushes in parallel, but few at a time: enough for a small audience without a burst of sockets. */
const POST_CONCURRENCY = 8;

/**
 * Pushes image status changes to every open WebSocket connection through API Gateway's management API (the
 * emulator's, locally). Never throws: a lost notification must not fail the pipeline, and clients can always
 * re-read the image.
 */
@Injectable()
export class ImageStatusNotifier {
  private readonly logger = new Logger(ImageStatusNotifier.name);
  private offReported = false;

  constructor(
    private readonly connections: ConnectionsRepository,
    @Inject(MANAGEMENT_API_CLIENT) private readonly managementApi: ApiGatewayManagementApiClient | null,
  ) {}

  /** Resolves once every connection has been tried; a connection API Gateway reports gone is forgotten. */
  async notify(message: ImageStatusMessage): Promise<void> {
    const managementApi = this.managementApi;
    if (managementApi === null) return this.reportOff();
    const { type, imageId, groupId, status, classLabel } = message;
    // Only the contract's fields: callers may pass a wider object.
    const data = JSON.stringify({ type, imageId, groupId, status, classLabel });

    let connectionIds: string[];
    try {
      connectionIds = await this.connections.listAll();
    } catch (error) {
      this.logger.error(`${type} for image ${imageId} not sent: cannot list the connections: ${describeError(error)}`);
      return;
    }
    await forEachConcurrently(connectionIds, POST_CONCURRENCY, async (connectionId) => {
      try {
        await managementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      } catch (error) {
        if (error instanceof GoneException) return this.forget(connectionId);
        this.logger.warn(`${type} for image ${imageId} not sent to connection ${connectionId}: ${describeError(error)}`);
      }
    });
  }

  private async forget(connectionId: string): Promise<void> {
    try {
      await this.connections.remove(connectionId);
    } catch (error) {
      this.logger.warn(`Connection ${connectionId} is gone but its row stays: ${describeError(error)}`);
    }
  }

  private reportOff(): void {
    if (this.offReported) return;
    this.offReported = true;
    this.logger.log('Notifications are off: WEBSOCKET_MANAGEMENT_ENDPOINT is not set');
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
