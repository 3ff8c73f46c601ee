import { rethrowDependencyFailure } from '@app/aws';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { CONNECTION_EXPIRY_ATTRIBUTE } from './connections.table.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

/** API Gateway closes every WebSocket connection after 2 hours at most: a row older than that is garbage. */
const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

interface ConnectionRecord {
  connectionId: string;
  connectedAt: string;
  [CONNECTION_EXPIRY_ATTRIBUTE]: number;
  /** The groups this connection watches (a string set; absent when none). */
  groups?: Set<string>;
}

/** Why a connection could not watch one more group. */
export type AddGroupRefusal = 'UnknownConnection' | 'TooManySubscriptions';

/**
 * The open WebSocket connections, one row each, written by the $connect and $disconnect handlers. Each row lists
 * the groups its connection watches, so that its subscriptions are deleted by key when it goes.
 */
@Injectable()
export class ConnectionsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(notificationsConfig.KEY) config: NotificationsConfig,
  ) {
    this.tableName = config.connectionsTableName;
  }

  async add(connectionId: string): Promise<void> {
    const now = Date.now();
    const record: ConnectionRecord = {
      connectionId,
      connectedAt: new Date(now).toISOString(),
      [CONNECTION_EXPIRY_ATTRIBUTE]: epochSeconds(now) + CONNECTION_LIFETIME_SECONDS,
    };
    await this.dynamoDb.send(new PutCommand({ TableName: this.tableName, Item: record })).catch(unavailable);
  }

  /** Forgets the connection; answers the groups it watched (none if it was unknown). */
  async remove(connectionId: string): Promise<string[]> {
    const { Attributes } = await this.dynamoDb
      .send(new DeleteCommand({ TableName: this.tableName, Key: { connectionId }, ReturnValues: 'ALL_OLD' }))
      .catch(unavailable);
    return [...((Attributes as ConnectionRecord | undefined)?.groups ?? [])];
  }

  /**
   * Records that the connection watches one more group, at most `limit` groups in all (watching one it already
   * watches is fine). Answers the connection's expiry (its subscriptions expire with it) or why it was refused.
   */
  async addGroup(
    connectionId: string,
    groupId: string,
    limit: number,
  ): Promise<{ expiresAt: number } | { refused: AddGroupRefusal }> {
    try {
      const { Attributes } = await this.dynamoDb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { connectionId },
          UpdateExpression: 'ADD #groups :group',
          ConditionExpression:
            'attribute_exists(connectionId) AND (attribute_not_exists(#groups) OR size(#groups) < :limit OR contains(#groups, :groupId))',
          ExpressionAttributeNames: { '#groups': 'groups' },
          ExpressionAttributeValues: { ':group': new Set([groupId]), ':groupId': groupId, ':limit': limit },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { expiresAt: (Attributes as ConnectionRecord)[CONNECTION_EXPIRY_ATTRIBUTE] };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { refused: error.Item === undefined ? 'UnknownConnection' : 'TooManySubscriptions' };
      }
      return unavailable(error);
    }
  }

  async removeGroup(connectionId: string, groupId: string): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { connectionId },
          UpdateExpression: 'DELETE #groups :group',
          ConditionExpression: 'attribute_exists(connectionId)',
          ExpressionAttributeNames: { '#groups': 'groups' },
          ExpressionAttributeValues: { ':group': new Set([groupId]) },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }
}

function epochSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
