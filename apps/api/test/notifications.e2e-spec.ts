import { groupShardKey, MAX_SUBSCRIPTIONS_PER_CONNECTION, SUBSCRIPTION_SHARDS } from '@app/notifications';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { uploadImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

const SQUIRREL = 'fox squirrel, eastern fox squirrel, Sciurus niger';
const NOT_A_PHOTO = Buffer.from('this is not a photo\n');

/** The creating request's correlation id: the local server has no API Gateway, so a random UUID. */
const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

interface Client {
  socket: WebSocket;
  messages: Record<string, unknown>[];
}

// The run's local system end to end: the WebSocket gateway emulator running the real $connect/subscribe/
// unsubscribe/$disconnect handlers, the pipeline writing results to DynamoDB Local, the images table's stream read by
// the local event source mapping into the real notifier handler, which posts through the gateway's management API.
describe('live image status notifications, scoped by group (e2e)', () => {
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
  );
  const clients: Client[] = [];
  let app: NestExpressApplication;
  let alice: string;

  async function newGroup(name: string): Promise<string> {
    const response = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${alice}`)
      .send({ name })
      .expect(201);
    return response.body.newItem.id;
  }

  async function connect(query = ''): Promise<Client> {
    const socket = new WebSocket(`${process.env.WEBSOCKET_URL}/${query}`);
    const client: Client = { socket, messages: [] };
    clients.push(client);
    socket.on('message', (data) => client.messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve).once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    return client;
  }

  async function send(client: Client, message: unknown): Promise<Record<string, unknown>> {
    const before = client.messages.length;
    client.socket.send(JSON.stringify(message));
    await vi.waitFor(() => expect(client.messages.length).toBeGreaterThan(before), { timeout: 5_000, interval: 20 });
    return client.messages[before]!;
  }

  const statusChanges = (client: Client) => client.messages.filter((message) => message.type === 'ImageStatusChanged');

  async function subscriptionsOf(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let shard = 0; shard < SUBSCRIPTION_SHARDS; shard += 1) {
      const { Items = [] } = await dynamoDb.send(
        new QueryCommand({
          TableName: process.env.SUBSCRIPTIONS_TABLE,
          KeyConditionExpression: 'groupShard = :groupShard',
          ExpressionAttributeValues: { ':groupShard': `${groupId}#${shard}` },
        }),
      );
      ids.push(...Items.map((item) => String(item.connectionId)));
    }
    return ids;
  }

  beforeAll(async () => {
    app = await createTestApp();
    alice = await mintTestToken('alice');
  });

  afterEach(() => {
    clients.splice(0).forEach(({ socket }) => socket.close());
  });

  afterAll(async () => {
    await app?.close();
    dynamoDb.destroy();
  });

  it('sends group A’s change to the client subscribed to A, and nothing to the client watching only B', async () => {
    const [groupA, groupB] = await Promise.all([newGroup('Notified'), newGroup('Elsewhere')]);
    const watchingA = await connect();
    await expect(send(watchingA, { action: 'subscribe', groupId: groupA })).resolves.toEqual({
      type: 'Subscribed',
      groupId: groupA,
    });
    const watchingB = await connect(`?groupId=${groupB}`);

    const squirrel = await uploadImage(app, alice, groupA, await readFixture('squirrel.jpg'), 'image/jpeg');
    await vi.waitFor(() => expect(statusChanges(watchingA)).toHaveLength(1), { timeout: 30_000, interval: 50 });
    // A change in B, announced after A's in stream order: once B has it, B has had every chance to get A's.
    const broken = await uploadImage(app, alice, groupB, NOT_A_PHOTO, 'image/jpeg');
    await vi.waitFor(() => expect(statusChanges(watchingB)).toHaveLength(1), { timeout: 30_000, interval: 50 });

    expect(statusChanges(watchingA)).toEqual([
      {
        type: 'ImageStatusChanged',
        imageId: squirrel.imageId,
        groupId: groupA,
        status: 'CLASSIFIED',
        classLabel: SQUIRREL,
        correlationId: UUID,
      },
    ]);
    expect(statusChanges(watchingB)).toEqual([
      {
        type: 'ImageStatusChanged',
        imageId: broken.imageId,
        groupId: groupB,
        status: 'FAILED',
        classLabel: null,
        correlationId: UUID,
      },
    ]);
  }, 60_000);

  it('stops sending a group’s changes after unsubscribe, and forgets the subscriptions at $disconnect', async () => {
    const [groupId, otherGroupId] = await Promise.all([newGroup('Left'), newGroup('Kept')]);
    const client = await connect(`?groupId=${groupId}`);
    await expect(send(client, { action: 'subscribe', groupId: otherGroupId })).resolves.toEqual({
      type: 'Subscribed',
      groupId: otherGroupId,
    });
    await expect(subscriptionsOf(groupId)).resolves.toHaveLength(1);

    await expect(send(client, { action: 'unsubscribe', groupId })).resolves.toEqual({ type: 'Unsubscribed', groupId });
    await uploadImage(app, alice, groupId, NOT_A_PHOTO, 'image/jpeg');
    const kept = await uploadImage(app, alice, otherGroupId, NOT_A_PHOTO, 'image/jpeg');
    await vi.waitFor(() => expect(statusChanges(client)).toHaveLength(1), { timeout: 30_000, interval: 50 });

    expect(statusChanges(client)).toEqual([expect.objectContaining({ imageId: kept.imageId, groupId: otherGroupId })]);
    await expect(subscriptionsOf(groupId)).resolves.toEqual([]);
    client.socket.close();
    await vi.waitFor(async () => expect(await subscriptionsOf(otherGroupId)).toEqual([]), {
      timeout: 5_000,
      interval: 50,
    });
  }, 60_000);

  it('refuses a malformed group id, on connect and in a subscribe message, and more than the bound of groups', async () => {
    await expect(connect('?groupId=..%2Fgroups')).rejects.toThrow('HTTP 400');
    const client = await connect();

    await expect(send(client, { action: 'subscribe', groupId: 'not-a-group' })).resolves.toEqual({
      type: 'SubscriptionRefused',
      groupId: 'not-a-group',
      reason: 'InvalidGroupId',
      message: 'groupId must be a group id (a UUID)',
    });
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_CONNECTION; index += 1) {
      await expect(send(client, { action: 'subscribe', groupId: randomUUID() })).resolves.toMatchObject({
        type: 'Subscribed',
      });
    }
    await expect(send(client, { action: 'subscribe', groupId: randomUUID() })).resolves.toMatchObject({
      type: 'SubscriptionRefused',
      reason: 'TooManySubscriptions',
    });
    await expect(send(client, { action: 'shout' })).resolves.toMatchObject({ message: 'Forbidden' });
  }, 30_000);

  it('deletes a stale connection (no socket behind it) and its subscription when API Gateway answers 410', async () => {
    const groupId = await newGroup('Stale watcher');
    const stale = `stale-${randomUUID()}`;
    const expiresAt = Math.floor(Date.now() / 1000) + 3_600;
    await dynamoDb.send(
      new PutCommand({
        TableName: process.env.CONNECTIONS_TABLE,
        Item: { connectionId: stale, connectedAt: new Date().toISOString(), expiresAt, groups: new Set([groupId]) },
      }),
    );
    const live = await connect(`?groupId=${groupId}`);
    // A subscription whose socket went without a $disconnect: its rows stay until API Gateway says 410.
    await dynamoDb.send(
      new PutCommand({
        TableName: process.env.SUBSCRIPTIONS_TABLE,
        Item: { groupShard: groupShardKey(groupId, stale), connectionId: stale, groupId, expiresAt },
      }),
    );
    await expect(subscriptionsOf(groupId)).resolves.toHaveLength(2);

    const image = await uploadImage(app, alice, groupId, NOT_A_PHOTO, 'image/jpeg');
    await vi.waitFor(() => expect(statusChanges(live)).toHaveLength(1), { timeout: 30_000, interval: 50 });

    expect(statusChanges(live)[0]).toMatchObject({ imageId: image.imageId, status: 'FAILED' });
    await vi.waitFor(async () => expect(await subscriptionsOf(groupId)).not.toContain(stale), {
      timeout: 5_000,
      interval: 50,
    });
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId: stale } }),
    );
    expect(Item).toBeUndefined();
  }, 60_000);

  it('reads only its own groupId from a subscribe message: one under __proto__ subscribes nothing', async () => {
    const groupId = await newGroup('Prototype keys');
    const client = await connect();
    // Parsed, so the object holds "__proto__" as an own key and JSON.stringify sends it as written.
    const message: unknown = JSON.parse(`{"action":"subscribe","__proto__":{"groupId":"${groupId}"}}`);

    await expect(send(client, message)).resolves.toEqual({
      type: 'SubscriptionRefused',
      groupId: null,
      reason: 'InvalidGroupId',
      message: 'groupId must be a group id (a UUID)',
    });
    await expect(subscriptionsOf(groupId)).resolves.toEqual([]);
  }, 30_000);
});
