import { Injectable } from '@nestjs/common';
import { ConnectionsRepository, type AddGroupRefusal } from './connections.repository.js';
import { isGroupId } from './group-id.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/**
 * Groups one connection may watch. A page shows one group, or a search page images of at most 20 groups; and a
 * connection's subscriptions are deleted in one BatchWriteItem (25 at most).
 */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 25;

export type SubscriptionRefusal = AddGroupRefusal | 'InvalidGroupId';

/** What the WebSocket API's routes do: record who is connected and which groups each connection watches. */
@Injectable()
export class WebSocketConnections {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  connect(connectionId: string): Promise<void> {
    return this.connections.add(connectionId);
  }

  /** Watches a group: its image status changes reach this connection from now on. */
  async subscribe(connectionId: string, groupId: unknown): Promise<{ refused?: SubscriptionRefusal }> {
    if (!isGroupId(groupId)) return { refused: 'InvalidGroupId' };
    const added = await this.connections.addGroup(connectionId, groupId, MAX_SUBSCRIPTIONS_PER_CONNECTION);
    if ('refused' in added) return added;
    await this.subscriptions.put(groupId, connectionId, added.expiresAt);
    return {};
  }

  async unsubscribe(connectionId: string, groupId: unknown): Promise<{ refused?: SubscriptionRefusal }> {
    if (!isGroupId(groupId)) return { refused: 'InvalidGroupId' };
    // The subscription first: a connection row that still names the group only costs a no-op delete later.
    await this.subscriptions.delete(groupId, connectionId);
    await this.connections.removeGroup(connectionId, groupId);
    return {};
  }

  /** $disconnect, or API Gateway answered 410 Gone: the connection and its subscriptions, by key, no Scan. */
  async disconnect(connectionId: string): Promise<void> {
    const groups = await this.connections.remove(connectionId);
    await this.subscriptions.deleteAll(connectionId, groups);
  }
}
