import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { groupShardKey } from '@app/notifications';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { waitForImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

// The deployed artefacts (`npm run build:lambda` makes them before the tests), not the sources.
const bundle = (name: string) => fileURLToPath(new URL(`../../../dist/lambda/${name}/index.mjs`, import.meta.url));
type WorkerModule = typeof import('../src/classification-worker-lambda.js');
type WebSocketModule = typeof import('../src/websocket-lambda.js');
type NotifierModule = typeof import('../src/notifier-lambda.js');

async function importBundle<T>(name: string): Promise<T> {
  const path = bundle(name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build:lambda\` before the e2e tests`);
  return (await import(/* @vite-ignore */ pathToFileURL(path).href)) as T;
}

describe('the bundled event handlers (e2e)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let classificationWorker: WorkerModule;
  let thumbnailWorker: WorkerModule;
  let websocket: WebSocketModule;
  let notifier: NotifierModule;
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
  );

  beforeAll(async () => {
    [app, alice, classificationWorker, thumbnailWorker, websocket, notifier] = await Promise.all([
      createTestApp(),
      mintTestToken('alice'),
      importBundle<WorkerModule>('classificationWorker'),
      importBundle<WorkerModule>('thumbnailWorker'),
      importBundle<WebSocketModule>('websocket'),
      importBundle<NotifierModule>('notifier'),
    ]);
  });

  afterAll(async () => {
    dynamoDb.destroy();
    await app.close();
  });

  const sqsEvent = (bodies: Record<string, string>, receiveCount = 1) => ({
    Records: Object.entries(bodies).map(([messageId, body]) => ({
      messageId,
      receiptHandle: `${messageId}-handle`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
      awsRegion: 'us-east-1',
    })),
  });
  const s3Event = (key: string) =>
    JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key } } }] });
  const context = { getRemainingTimeInMillis: () => 30_000 } as never;

  it('runs a batch on the last delivery: the photo that is not there ends FAILED and is reported alone, the rest deleted', async () => {
    const group = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${alice}`)
      .send({ name: 'Bundle' })
      .expect(201);
    const image = (
      await request(app.getHttpServer())
        .post(`/groups/${group.body.newItem.id}/images`)
        .set('Authorization', `Bearer ${alice}`)
        .send({ title: 'Never uploaded: the message is synthetic' })
        .expect(201)
    ).body.newItem;

    const response = await classificationWorker.handler(
      sqsEvent(
        {
          missing: s3Event(`images/${image.imageId}`),
          outside: s3Event('thumbnails/unknown.jpg'),
          malformed: '{not json',
          unknown: JSON.stringify({ imageId: '00000000-0000-4000-8000-000000000000' }),
        },
        Number(process.env.CLASSIFICATION_MAX_RECEIVE_COUNT),
      ),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'missing' }] });
    const ended = await waitForImage(app, image.imageId);
    expect(ended.status).toBe('FAILED');
    expect(ended.failure?.errorType).toBe('DownloadFailed');
  });

  it('deletes what the thumbnail worker cannot use, and reports nothing', async () => {
    await expect(
      thumbnailWorker.handler(
        sqsEvent({ outside: s3Event('thumbnails/unknown.jpg'), test: JSON.stringify({ Event: 's3:TestEvent' }) }),
        context,
      ),
    ).resolves.toEqual({ batchItemFailures: [] });
  });

  it('leaves the classifier out of the API: its bundle has no Lambda client, the worker’s has', () => {
    const source = (name: string) => readFileSync(bundle(name), 'utf8');

    expect(source('api')).not.toMatch(/InvokeCommand|LambdaClient/);
    expect(source('classificationWorker')).toMatch(/InvokeCommand/);
  });

  it('keeps a WebSocket connection from $connect to $disconnect', async () => {
    const event = (routeKey: string) =>
      ({
        requestContext: {
          connectionId: 'bundle-test-connection',
          routeKey,
          eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
        },
      }) as never;
    const row = () =>
      dynamoDb.send(
        new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId: 'bundle-test-connection' } }),
      );

    await expect(websocket.handler(event('$connect'))).resolves.toEqual({ statusCode: 200 });
    expect((await row()).Item).toMatchObject({ connectionId: 'bundle-test-connection' });
    await expect(websocket.handler(event('$disconnect'))).resolves.toEqual({ statusCode: 200 });
    expect((await row()).Item).toBeUndefined();
  });

  it('subscribes through the bundled WebSocket handler, and the bundled notifier finds the subscription (gone: cleaned up)', async () => {
    const connectionId = `bundle-${randomUUID()}`;
    const groupId = randomUUID();
    const connectEvent = {
      requestContext: { connectionId, routeKey: '$connect', eventType: 'CONNECT' },
      queryStringParameters: { groupId },
    } as never;
    const subscription = () =>
      dynamoDb.send(
        new GetCommand({
          TableName: process.env.SUBSCRIPTIONS_TABLE,
          Key: { groupShard: groupShardKey(groupId, connectionId), connectionId },
        }),
      );
    await expect(websocket.handler(connectEvent)).resolves.toEqual({ statusCode: 200 });
    expect((await subscription()).Item).toMatchObject({ groupId, connectionId });
    const image = (status: string) =>
      marshall({ groupId, timestampId: 't#1', imageId: randomUUID(), status }) as NonNullable<
        DynamoDBRecord['dynamodb']
      >['NewImage'];
    const record: DynamoDBRecord = {
      eventName: 'MODIFY',
      dynamodb: { OldImage: image('PENDING'), NewImage: image('FAILED'), SequenceNumber: '1' },
    };

    // No socket behind this connection: the gateway answers 410, and the notifier forgets it.
    await expect(notifier.handler({ Records: [record] }, { getRemainingTimeInMillis: () => 100_000 })).resolves.toEqual(
      { batchItemFailures: [] },
    );

    expect((await subscription()).Item).toBeUndefined();
    const connection = await dynamoDb.send(
      new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId } }),
    );
    expect(connection.Item).toBeUndefined();
  });
});
