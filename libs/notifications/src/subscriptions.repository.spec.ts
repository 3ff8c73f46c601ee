import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { groupShardKey, SUBSCRIPTION_SHARDS } from './subscriptions.table.js';

const NOW = new Date('2026-11-26T07:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const GROUP = '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f';

describe('SubscriptionsRepository', () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);

  function repository() {
    const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    return new SubscriptionsRepository(dynamoDb, {
      region: 'us-east-1',
      connectionsTableName: 'connections',
      subscriptionsTableName: 'subscriptions',
      managementEndpoint: undefined,
    });
  }

  async function collect(watchers: AsyncIterable<string>): Promise<string[]> {
    const ids: string[] = [];
    for await (const id of watchers) ids.push(id);
    return ids;
  }

  beforeEach(() => {
    dynamoDbMock.reset();
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('stores a subscription under the group’s shard for that connection, expiring with the connection', async () => {
    dynamoDbMock.on(PutCommand).resolves({});

    await repository().put(GROUP, 'c1', NOW_SECONDS + 7200);

    expect(dynamoDbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'subscriptions',
      Item: {
        groupShard: groupShardKey(GROUP, 'c1'),
        connectionId: 'c1',
        groupId: GROUP,
        expiresAt: NOW_SECONDS + 7200,
      },
    });
    expect(groupShardKey(GROUP, 'c1')).toMatch(new RegExp(`^${GROUP}#[0-${SUBSCRIPTION_SHARDS - 1}]$`));
  });

  it('deletes one subscription by its key', async () => {
    dynamoDbMock.on(DeleteCommand).resolves({});

    await repository().delete(GROUP, 'c1');

    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'subscriptions',
      Key: { groupShard: groupShardKey(GROUP, 'c1'), connectionId: 'c1' },
    });
  });

  it('deletes a connection’s subscriptions in one batch, and retries what DynamoDB left unprocessed', async () => {
    const groups = ['g1', 'g2', 'g3'];
    const leftOver = { DeleteRequest: { Key: { groupShard: groupShardKey('g3', 'c1'), connectionId: 'c1' } } };
    dynamoDbMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { subscriptions: [leftOver] } })
      .resolves({});

    await repository().deleteAll('c1', groups);

    expect(dynamoDbMock).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(dynamoDbMock).toHaveReceivedNthCommandWith(BatchWriteCommand, 1, {
      RequestItems: {
        subscriptions: groups.map((groupId) => ({
          DeleteRequest: { Key: { groupShard: groupShardKey(groupId, 'c1'), connectionId: 'c1' } },
        })),
      },
    });
    expect(dynamoDbMock).toHaveReceivedNthCommandWith(BatchWriteCommand, 2, {
      RequestItems: { subscriptions: [leftOver] },
    });
  });

  it('sends nothing for a connection that watched no group', async () => {
    await repository().deleteAll('c1', []);

    expect(dynamoDbMock).not.toHaveReceivedAnyCommand();
  });

  it('lists a group’s unexpired watchers by Query, page by page through every shard, never by Scan', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    dynamoDbMock
      .on(QueryCommand, { ExpressionAttributeValues: { ':groupShard': `${GROUP}#0`, ':now': NOW_SECONDS } })
      .resolvesOnce({
        Items: [{ connectionId: 'a' }],
        LastEvaluatedKey: { groupShard: `${GROUP}#0`, connectionId: 'a' },
      })
      .resolvesOnce({ Items: [{ connectionId: 'b' }] });
    dynamoDbMock
      .on(QueryCommand, { ExpressionAttributeValues: { ':groupShard': `${GROUP}#5`, ':now': NOW_SECONDS } })
      .resolves({ Items: [{ connectionId: 'c' }] });

    await expect(collect(repository().watchers(GROUP))).resolves.toEqual(['a', 'b', 'c']);

    expect(dynamoDbMock).toHaveReceivedCommandTimes(QueryCommand, SUBSCRIPTION_SHARDS + 1);
    expect(dynamoDbMock).toHaveReceivedNthCommandWith(QueryCommand, 2, {
      TableName: 'subscriptions',
      KeyConditionExpression: 'groupShard = :groupShard',
      FilterExpression: '#expiresAt > :now',
      ExclusiveStartKey: { groupShard: `${GROUP}#0`, connectionId: 'a' },
      Limit: 1_000,
    });
  });

  it('spreads one group’s watchers evenly over its shards', () => {
    const perShard = new Map<string, number>();
    for (let index = 0; index < 8_000; index += 1) {
      const key = groupShardKey(GROUP, Buffer.from(`connection-${index}`).toString('base64'));
      perShard.set(key, (perShard.get(key) ?? 0) + 1);
    }

    expect(perShard.size).toBe(SUBSCRIPTION_SHARDS);
    for (const count of perShard.values()) expect(count).toBeGreaterThan(800);
  });
});
