import { rethrowDependencyFailure } from '@app/aws';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';
import { groupShardKey, groupShardKeys, SUBSCRIPTION_EXPIRY_ATTRIBUTE } from './subscriptions.table.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

/**
 * Watchers read per Query page. ≈80 B per item: 1,000 items ≈ 80 KB ≈ 10 RCU, and one page keeps the posting
 * workers busy for 1,000 × 20 ms / 50 ≈ 0.4 s while the next page is read.
 */
const WATCHERS_PAGE_SIZE = 1_000;
/** BatchWriteItem takes 25 requests at most; a connection watches at most that many groups. */
const BATCH_WRITE_LIMIT = 25;
const UNPROCESSED_RETRIES = 3;

/** Who watches which group: one item per (group, connection), under one of the group's shards. */
@Injectable()
export class SubscriptionsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(notificationsConfig.KEY) config: NotificationsConfig,
  ) {
    this.tableName = config.subscriptionsTableName;
  }

  async put(groupId: string, connectionId: string, expiresAt: number): Promise<void> {
    await this.dynamoDb
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            groupShard: groupShardKey(groupId, connectionId),
            connectionId,
            groupId,
            [SUBSCRIPTION_EXPIRY_ATTRIBUTE]: expiresAt,
          },
        }),
      )
      .catch(unavailable);
  }

  async delete(groupId: string, connectionId: string): Promise<void> {
    await this.dynamoDb
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { groupShard: groupShardKey(groupId, connectionId), connectionId },
        }),
      )
      .catch(unavailable);
  }

  /** Deletes a connection's subscriptions to these groups (≤ 25: one BatchWriteItem), retrying unprocessed ones. */
  async deleteAll(connectionId: string, groupIds: readonly string[]): Promise<void> {
    for (let start = 0; start < groupIds.length; start += BATCH_WRITE_LIMIT) {
      let requests = groupIds.slice(start, start + BATCH_WRITE_LIMIT).map((groupId) => ({
        DeleteRequest: { Key: { groupShard: groupShardKey(groupId, connectionId), connectionId } },
      }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > UNPROCESSED_RETRIES)
          throw new Error(`${requests.length} subscriptions of ${connectionId} not deleted (throttled)`);
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const { UnprocessedItems } = await this.dynamoDb
          .send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }))
          .catch(unavailable);
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /**
   * The connection ids watching a group, page by page through each of its shards: memory and read units per page
   * are bounded, whatever the audience. Expired items are skipped (TTL deletion lags, sometimes by days).
   */
  async *watchers(groupId: string): AsyncGenerator<string> {
    const now = Math.floor(Date.now() / 1000);
    for (const groupShard of groupShardKeys(groupId)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const { Items = [], LastEvaluatedKey } = await this.dynamoDb
          .send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'groupShard = :groupShard',
              FilterExpression: '#expiresAt > :now',
              ProjectionExpression: 'connectionId',
              ExpressionAttributeNames: { '#expiresAt': SUBSCRIPTION_EXPIRY_ATTRIBUTE },
              ExpressionAttributeValues: { ':groupShard': groupShard, ':now': now },
              Limit: WATCHERS_PAGE_SIZE,
              ExclusiveStartKey: startKey,
            }),
          )
          .catch(unavailable);
        for (const item of Items) yield (item as { connectionId: string }).connectionId;
        startKey = LastEvaluatedKey;
      } while (startKey !== undefined);
    }
  }
}
