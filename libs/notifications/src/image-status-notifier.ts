import { describeError } from '@app/errors';
import {
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ImageStatusMessage } from './image-status-message.js';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { WebSocketConnections } from './websocket-connections.js';

/**
 * Posts in flight per notifier instance, shared by the notifications it runs at once. API Gateway answers a
 * PostToConnection in ≈20 ms, so one instance posts ≈50 / 0.02 s = 2,500 messages/s: a group with 1,000 watchers
 * takes 0.4 s, the worst case of 100,000 watchers on one group 40 s (the notifier's timeout is 120 s). Posts count
 * against the account's API Gateway quota (10,000 requests/s per region by default, shared with the HTTP API), so
 * one busy instance takes at most a quarter of it; the notifier's reserved concurrency caps the instances.
 */
export const POST_CONCURRENCY = 50;

/** What one notification did. */
export interface NotificationReport {
  sent: number;
  /** Connections API Gateway reported gone (410): forgotten, subscriptions and all. */
  gone: number;
  failed: number;
}

/**
 * Pushes an image's status change to the connections that watch its group, through API Gateway's management API
 * (the emulator's, locally). Never throws: a lost notification is logged, and clients can always re-read the image.
 */
@Injectable()
export class ImageStatusNotifier {
  private readonly logger = new Logger(ImageStatusNotifier.name);
  private offReported = false;
  private readonly posts = new Semaphore(POST_CONCURRENCY);

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly connections: WebSocketConnections,
    @Inject(MANAGEMENT_API_CLIENT) private readonly managementApi: ApiGatewayManagementApiClient | null,
  ) {}

  /** Resolves once every watcher of the group has been tried. */
  async notify(message: ImageStatusMessage): Promise<NotificationReport> {
    const report: NotificationReport = { sent: 0, gone: 0, failed: 0 };
    const managementApi = this.managementApi;
    if (managementApi === null) {
      this.reportOff();
      return report;
    }
    const { type, imageId, groupId, status, classLabel, correlationId } = message;
    // Only the contract's fields: callers may pass a wider object.
    const data = JSON.stringify({ type, imageId, groupId, status, classLabel, correlationId });
    const watchers = this.subscriptions.watchers(groupId);
    let listingFailed = false;

    // The workers share one generator: each next() waits for the one before, so every id goes to one worker, and
    // a new page is read only when the last one has been handed out.
    const nextWatcher = async (): Promise<string | undefined> => {
      if (listingFailed) return undefined;
      try {
        const next = await watchers.next();
        return next.done ? undefined : next.value;
      } catch (error) {
        listingFailed = true;
        this.logger.error(
          `${type} for image ${imageId}: cannot list the watchers of group ${groupId}: ${describeError(error)}`,
        );
        return undefined;
      }
    };
    const worker = async (): Promise<void> => {
      for (let connectionId = await nextWatcher(); connectionId !== undefined; connectionId = await nextWatcher()) {
        const release = await this.posts.acquire();
        try {
          await managementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
          release();
          report.sent += 1;
        } catch (error) {
          release();
          if (error instanceof GoneException) {
            report.gone += 1;
            await this.forget(connectionId);
          } else {
            report.failed += 1;
            this.logger.warn(
              `${type} for image ${imageId} not sent to connection ${connectionId}: ${describeError(error)}`,
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: POST_CONCURRENCY }, worker));
    return report;
  }

  /** A connection that went without a $disconnect: it and its subscriptions are deleted now. */
  private async forget(connectionId: string): Promise<void> {
    try {
      await this.connections.disconnect(connectionId);
    } catch (error) {
      this.logger.warn(`Connection ${connectionId} is gone but its rows stay: ${describeError(error)}`);
    }
  }

  private reportOff(): void {
    if (this.offReported) return;
    this.offReported = true;
    this.logger.log('Notifications are off: WEBSOCKET_MANAGEMENT_ENDPOINT is not set');
  }
}

/** At most `limit` holders at once; the others wait their turn in order. */
class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, or is freed.
      if (next) next();
      else this.held -= 1;
    };
  }
}
