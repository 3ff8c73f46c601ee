import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
  type PostToConnectionCommandInput,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type BatchWriteCommandInput,
  type DeleteCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsRepository } from './connections.repository.js';
import { ImageStatusNotifier, POST_CONCURRENCY } from './image-status-notifier.js';
import { NOTIFIER_TIMEOUT_SECONDS } from './image-status-stream-handler.js';
import type { NotificationsConfig } from './notifications.config.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { groupShardKey, SUBSCRIPTION_SHARDS } from './subscriptions.table.js';
import { WebSocketConnections } from './websocket-connections.js';

/**
 * A simulation on fake timers: 100,000 WebSocket connections subscribed across 1,000 groups, the real repositories
 * and notifier, DynamoDB answering from memory in 10 ms per request (Query honours Limit and ExclusiveStartKey) and
 * API Gateway's management API in 20 ms per post. The clock is simulated: the figures are the model's, not this
 * machine's, and a wrong setting (fewer posts in flight, a Scan, no paging) changes them.
 */
const CONNECTIONS = 100_000;
const GROUPS = 1_000;
const POST_LATENCY_MS = 20;
const DYNAMODB_LATENCY_MS = 10;
const ITEM_BYTES = 80;

const config: NotificationsConfig = {
  region: 'eu-west-1',
  connectionsTableName: 'connections',
  subscriptionsTableName: 'subscriptions',
  managementEndpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
};
const groupIdOf = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
const connectionIdOf = (index: number) => Buffer.from(`connection-${index}`).toString('base64');
const latency = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`notifying with ${CONNECTIONS.toLocaleString('en')} subscribed connections (simulated)`, () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);
  const managementApiMock = mockClient(ApiGatewayManagementApiClient);
  /** groupShard → connection ids, sorted (the table's sort key). */
  let subscriptions: Map<string, string[]>;
  /** connectionId → its groups (the connections table's `groups`). */
  let connectionGroups: Map<string, string[]>;
  let gone: Set<string>;
  let posted: string[];
  let queries: number;
  let itemsRead: number;
  /** Eventually consistent reads: 0.5 RCU per 4 KB read, per Query. */
  let readUnits: number;
  let notifier: ImageStatusNotifier;

  function subscribe(connectionId: string, groupId: string): void {
    const key = groupShardKey(groupId, connectionId);
    if (!subscriptions.has(key)) subscriptions.set(key, []);
    subscriptions.get(key)!.push(connectionId);
    if (!connectionGroups.has(connectionId)) connectionGroups.set(connectionId, []);
    connectionGroups.get(connectionId)!.push(groupId);
  }

  function watchersOf(groupId: string): string[] {
    return Array.from(
      { length: SUBSCRIPTION_SHARDS },
      (_, shard) => subscriptions.get(`${groupId}#${shard}`) ?? [],
    ).flat();
  }

  beforeEach(() => {
    // 100,000 posts are as many timers: more than the fake clock's default loop limit.
    vi.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z'), loopLimit: 1_000_000 });
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    subscriptions = new Map();
    connectionGroups = new Map();
    gone = new Set();
    posted = [];
    queries = 0;
    itemsRead = 0;
    readUnits = 0;
    dynamoDbMock.reset();
    managementApiMock.reset();
    dynamoDbMock.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
      await latency(DYNAMODB_LATENCY_MS);
      queries += 1;
      const all = subscriptions.get(String(input.ExpressionAttributeValues![':groupShard'])) ?? [];
      const after =
        input.ExclusiveStartKey === undefined ? 0 : all.indexOf(String(input.ExclusiveStartKey.connectionId)) + 1;
      const page = all.slice(after, after + input.Limit!);
      itemsRead += page.length;
      readUnits += Math.max(1, Math.ceil((page.length * ITEM_BYTES) / 4096)) * 0.5;
      const more = after + page.length < all.length;
      return {
        Items: page.map((connectionId) => ({ connectionId })),
        ...(more
          ? {
              LastEvaluatedKey: {
                groupShard: input.ExpressionAttributeValues![':groupShard'],
                connectionId: page.at(-1),
              },
            }
          : {}),
      };
    });
    dynamoDbMock.on(DeleteCommand).callsFake(async (input: DeleteCommandInput) => {
      await latency(DYNAMODB_LATENCY_MS);
      const connectionId = String(input.Key!.connectionId);
      const groups = connectionGroups.get(connectionId);
      connectionGroups.delete(connectionId);
      return groups ? { Attributes: { connectionId, groups: new Set(groups) } } : {};
    });
    dynamoDbMock.on(BatchWriteCommand).callsFake(async (input: BatchWriteCommandInput) => {
      await latency(DYNAMODB_LATENCY_MS);
      for (const request of input.RequestItems!.subscriptions!) {
        const { groupShard, connectionId } = request.DeleteRequest!.Key as { groupShard: string; connectionId: string };
        subscriptions.set(
          groupShard,
          (subscriptions.get(groupShard) ?? []).filter((id) => id !== connectionId),
        );
      }
      return {};
    });
    managementApiMock.on(PostToConnectionCommand).callsFake(async (input: PostToConnectionCommandInput) => {
      await latency(POST_LATENCY_MS);
      if (gone.has(input.ConnectionId!))
        throw new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });
      posted.push(input.ConnectionId!);
      return {};
    });
    const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: config.region }));
    const subscriptionsRepository = new SubscriptionsRepository(dynamoDb, config);
    const connections = new WebSocketConnections(new ConnectionsRepository(dynamoDb, config), subscriptionsRepository);
    notifier = new ImageStatusNotifier(
      subscriptionsRepository,
      connections,
      new ApiGatewayManagementApiClient({ region: config.region, endpoint: config.managementEndpoint }),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Runs one notification on the simulated clock; answers its simulated duration. */
  async function simulate(groupId: string) {
    const startedAt = Date.now();
    const notified = notifier.notify({
      type: 'ImageStatusChanged',
      imageId: 'image-1',
      groupId,
      status: 'CLASSIFIED',
      classLabel: 'cat',
    });
    await vi.runAllTimersAsync();
    const report = await notified;
    return { report, seconds: (Date.now() - startedAt) / 1000 };
  }

  function print(title: string, figures: Record<string, string | number>): void {
    console.log(
      `${title}\n${Object.entries(figures)
        .map(([name, value]) => `  ${name}: ${value}`)
        .join('\n')}`,
    );
  }

  it('one image’s notification reaches exactly its group’s watchers, and the 410s are cleaned up, well inside the timeout', async () => {
    for (let index = 0; index < CONNECTIONS; index += 1) subscribe(connectionIdOf(index), groupIdOf(index % GROUPS));
    const groupId = groupIdOf(7);
    const watchers = watchersOf(groupId);
    gone = new Set(watchers.slice(0, 3));

    const { report, seconds } = await simulate(groupId);

    print(`${CONNECTIONS} connections in ${GROUPS} groups; one image in a group of ${watchers.length} watchers`, {
      'posts (sent + gone)': `${report.sent} + ${report.gone}`,
      'Queries / items read / read units': `${queries} / ${itemsRead} / ${readUnits} RCU`,
      'simulated duration': `${seconds.toFixed(2)} s (timeout ${NOTIFIER_TIMEOUT_SECONDS} s)`,
    });
    expect(report).toEqual({ sent: watchers.length - 3, gone: 3, failed: 0 });
    expect(posted.sort()).toEqual(watchers.slice(3).sort());
    expect(itemsRead).toBe(watchers.length);
    expect(queries).toBe(SUBSCRIPTION_SHARDS);
    expect(watchersOf(groupId)).toEqual(watchers.filter((id) => !gone.has(id)));
    // Shards are read one after another, then posts run POST_CONCURRENCY at a time.
    expect(seconds).toBeCloseTo(
      (SUBSCRIPTION_SHARDS * DYNAMODB_LATENCY_MS + Math.ceil(watchers.length / POST_CONCURRENCY) * POST_LATENCY_MS) /
        1000 +
        0.05,
      0,
    );
    expect(seconds).toBeLessThan(NOTIFIER_TIMEOUT_SECONDS / 100);
  });

  it('the worst case, every connection watching one group, still finishes inside the timeout', async () => {
    const hotGroup = groupIdOf(0);
    for (let index = 0; index < CONNECTIONS; index += 1) subscribe(connectionIdOf(index), hotGroup);

    const { report, seconds } = await simulate(hotGroup);

    const postsPerSecond = report.sent / seconds;
    print(`${CONNECTIONS} connections all watching one group`, {
      posts: report.sent,
      'Queries (pages of 1,000) / read units': `${queries} / ${readUnits} RCU`,
      'simulated duration': `${seconds.toFixed(1)} s (timeout ${NOTIFIER_TIMEOUT_SECONDS} s)`,
      'posts/s (API Gateway account quota 10,000 requests/s)': Math.round(postsPerSecond),
    });
    expect(report).toEqual({ sent: CONNECTIONS, gone: 0, failed: 0 });
    expect(new Set(posted).size).toBe(CONNECTIONS);
    expect(seconds).toBeLessThan(NOTIFIER_TIMEOUT_SECONDS / 2);
    expect(postsPerSecond).toBeLessThanOrEqual(POST_CONCURRENCY * (1000 / POST_LATENCY_MS));
  }, 60_000);
});
