import {
  connectionsTableDefinition,
  ImageStatusNotifier,
  NotificationsModule,
  type ImageStatusMessage,
} from '@app/notifications';
import { startWebSocketGatewayEmulator, type WebSocketGatewayEmulator } from '@app/websocket-gateway-emulator';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { connect, disconnect } from '../src/websocket-lambda.js';

// A table of its own: the run's pipeline notifies through the run's gateway, which would answer 410 for this
// spec's connections (and this spec's notifier 410 for the run's) and so delete them.
const CONNECTIONS_TABLE = `udagram-connections-e2e-${randomUUID()}`;

function statusMessage(status: ImageStatusMessage['status'] = 'CLASSIFIED'): ImageStatusMessage {
  return {
    type: 'ImageStatusChanged',
    imageId: randomUUID(),
    groupId: randomUUID(),
    status,
    classLabel: status === 'CLASSIFIED' ? 'golden retriever' : null,
  };
}

function nextMessage(client: WebSocket): Promise<unknown> {
  return new Promise((resolve) => client.once('message', (data) => resolve(JSON.parse(String(data)))));
}

// The WebSocket API emulated, its routes running the real Lambda handlers on the run's DynamoDB Local, and the
// notifier built by Nest pushing through the emulator's management API: the local twin of the AWS set-up.
describe('live image status notifications (e2e)', () => {
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
  );
  const savedEnvironment = { ...process.env };
  const clients: WebSocket[] = [];
  let gateway: WebSocketGatewayEmulator;
  let moduleRef: TestingModule;
  let notifier: ImageStatusNotifier;
  let lastConnectionId: string | undefined;

  /** A client whose $connect has run (so its row exists), with its connection id. */
  async function connectClient(): Promise<{ client: WebSocket; connectionId: string }> {
    const client = new WebSocket(gateway.websocketUrl);
    clients.push(client);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    return { client, connectionId: lastConnectionId! };
  }

  async function connectionRow(connectionId: string) {
    const { Item } = await dynamoDb.send(new GetCommand({ TableName: CONNECTIONS_TABLE, Key: { connectionId } }));
    return Item;
  }

  beforeAll(async () => {
    await dynamoDb.send(new CreateTableCommand(connectionsTableDefinition(CONNECTIONS_TABLE)));
    gateway = await startWebSocketGatewayEmulator({
      onConnect: async (connectionId, event) => {
        await connect(event);
        lastConnectionId = connectionId;
      },
      onDisconnect: (_connectionId, event) => disconnect(event),
      log: () => undefined,
    });
    // Read when the testing module below and the handlers' context (at the first $connect) are built.
    Object.assign(process.env, { CONNECTIONS_TABLE, WEBSOCKET_MANAGEMENT_ENDPOINT: gateway.managementEndpoint });
    moduleRef = await Test.createTestingModule({ imports: [NotificationsModule] }).compile();
    await moduleRef.init();
    notifier = moduleRef.get(ImageStatusNotifier);
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  afterAll(async () => {
    await moduleRef?.close();
    await gateway?.stop();
    process.env = savedEnvironment;
    await dynamoDb.send(new DeleteTableCommand({ TableName: CONNECTIONS_TABLE }));
    dynamoDb.destroy();
  });

  it('records each client on $connect and delivers the exact message to every one', async () => {
    const first = await connectClient();
    const second = await connectClient();
    const message = statusMessage();
    const received = [nextMessage(first.client), nextMessage(second.client)];

    await notifier.notify(message);

    await expect(Promise.all(received)).resolves.toEqual([message, message]);
    await expect(connectionRow(first.connectionId)).resolves.toMatchObject({ connectionId: first.connectionId });
    await expect(connectionRow(second.connectionId)).resolves.toMatchObject({ connectionId: second.connectionId });
  });

  it('removes the row of a client that disconnects, and notifies the others', async () => {
    const leaving = await connectClient();
    const staying = await connectClient();

    leaving.client.close();
    await vi.waitFor(async () => expect(await connectionRow(leaving.connectionId)).toBeUndefined(), { timeout: 5_000 });
    const message = statusMessage('FAILED');
    const received = nextMessage(staying.client);
    await notifier.notify(message);

    await expect(received).resolves.toEqual(message);
    await expect(connectionRow(staying.connectionId)).resolves.toBeDefined();
  });

  it('deletes a stale row (no socket behind it) when API Gateway answers its notification with 410', async () => {
    const stale = `stale-${randomUUID()}`;
    const expiresAt = Math.floor(Date.now() / 1000) + 3_600;
    const staleRow = { connectionId: stale, connectedAt: new Date().toISOString(), expiresAt };
    await dynamoDb.send(new PutCommand({ TableName: CONNECTIONS_TABLE, Item: staleRow }));
    const live = await connectClient();
    const message = statusMessage();
    const received = nextMessage(live.client);

    await notifier.notify(message);

    await expect(connectionRow(stale)).resolves.toBeUndefined();
    await expect(received).resolves.toEqual(message);
  });
});
