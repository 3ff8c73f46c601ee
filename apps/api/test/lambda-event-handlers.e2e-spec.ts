import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { groupShardKey } from '@app/notifications';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { waitForImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

// The deployed artefacts (`npm run build:lambda` makes them before the tests), not the sources.
const bundle = (name: string) => fileURLToPath(new URL(`../../../dist/lambda/${name}/index.mjs`, import.meta.url));
type UploadModule = typeof import('../src/upload-lambda.js');
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
  let upload: UploadModule;
  let websocket: WebSocketModule;
  let notifier: NotifierModule;
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }));

  beforeAll(async () => {
    [app, alice, upload, websocket, notifier] = await Promise.all([
      createTestApp(),
      mintTestToken('alice'),
      importBundle<UploadModule>('upload'),
      importBundle<WebSocketModule>('websocket'),
      importBundle<NotifierModule>('notifier'),
    ]);
  });

  afterAll(async () => {
    dynamoDb.destroy();
    await app.close();
  });

  it('runs the whole pipeline for an S3 event: a photo that is not there ends FAILED after the retries', async () => {
    const group = await request(app.getHttpServer()).post('/groups').set('Authorization', `Bearer ${alice}`).send({ name: 'Bundle' }).expect(201);
    const image = (
      await request(app.getHttpServer())
        .post(`/groups/${group.body.newItem.id}/images`)
        .set('Authorization', `Bearer ${alice}`)
        .send({ title: 'Never uploaded: the S3 event is synthetic' })
        .expect(201)
    ).body.newItem;

    await upload.handler({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: process.env.IMAGES_BUCKET }, object: { key: `images/${image.imageId}` } } }],
    });

    const ended = await waitForImage(app, image.imageId);
    expect(ended.status).toBe('FAILED');
    expect(ended.failure?.errorType).toBe('DownloadFailed');
  });

  it('drops an S3 event for a key that is not an image upload', async () => {
    await expect(
      upload.handler({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'thumbnails/unknown.jpg' } } }] }),
    ).resolves.toBeUndefined();
  });

  it('keeps a WebSocket connection from $connect to $disconnect', async () => {
    const event = (routeKey: string) =>
      ({ requestContext: { connectionId: 'bundle-test-connection', routeKey, eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT' } }) as never;
    const row = () =>
      dynamoDb.send(new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId: 'bundle-test-connection' } }));

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
      dynamoDb.send(new GetCommand({ TableName: process.env.SUBSCRIPTIONS_TABLE, Key: { groupShard: groupShardKey(groupId, connectionId), connectionId } }));
    await expect(websocket.handler(connectEvent)).resolves.toEqual({ statusCode: 200 });
    expect((await subscription()).Item).toMatchObject({ groupId, connectionId });
    const image = (status: string) =>
      marshall({ groupId, timestampId: 't#1', imageId: randomUUID(), status }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
    const record: DynamoDBRecord = { eventName: 'MODIFY', dynamodb: { OldImage: image('PENDING'), NewImage: image('FAILED'), SequenceNumber: '1' } };

    // No socket behind this connection: the gateway answers 410, and the notifier forgets it.
    await expect(notifier.handler({ Records: [record] }, { getRemainingTimeInMillis: () => 100_000 })).resolves.toEqual({ batchItemFailures: [] });

    expect((await subscription()).Item).toBeUndefined();
    const connection = await dynamoDb.send(new GetCommand({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId } }));
    expect(connection.Item).toBeUndefined();
  });
});
