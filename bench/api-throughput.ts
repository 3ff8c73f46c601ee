/**
 * Requests/s of `GET /groups/:groupId/images` through the Nest app vs a bare Express handler doing the same
 * DynamoDB reads (group lookup + newest-first query) and the same URL presigning, against the same DynamoDB
 * Local, same concurrency, measured alternately in one run. Prints both and the ratio (goal ≥ 0.8).
 * Loopback only; bounded by ROUNDS × DURATION_S.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { groupsTableDefinition } from '@app/groups';
import { imagesTableDefinition } from '@app/images';
import { startLocalCloud } from '@dev/local-cloud';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import autocannon from 'autocannon';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const DURATION_S = Number(process.env.DURATION_S ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const IMAGES = 20;

const cloud = await startLocalCloud({
  inMemory: true,
  tables: [groupsTableDefinition('bench-groups'), imagesTableDefinition('bench-images')],
  bucket: 'bench-images',
  log: (line) => console.error(`  ${line}`),
});
Object.assign(process.env, cloud.env, { GROUPS_TABLE: 'bench-groups', IMAGES_TABLE: 'bench-images' });

const nest = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'] }));
await nest.listen(0, '127.0.0.1');
const nestUrl = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}`;

const token = await cloud.identity.mintToken('bench');
const groupId = await post<{ newItem: { id: string } }>(`${nestUrl}/groups`, { name: 'Bench' }).then(
  (r) => r.newItem.id,
);
for (let index = 0; index < IMAGES; index += 1) {
  await post(`${nestUrl}/groups/${groupId}/images`, { title: `Image ${index}` });
}

const bare = await startBareExpress();
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const path = `/groups/${groupId}/images`;
const bodies = await Promise.all([nestUrl, bareUrl].map(async (base) => (await fetch(base + path)).json()));
if (bodies.some((body) => (body as { items: unknown[] }).items.length !== IMAGES)) throw new Error('handlers disagree');

const nestRates: number[] = [];
const bareRates: number[] = [];
await measure(nestUrl, 2); // warm-up of both, not counted
await measure(bareUrl, 2);
for (let round = 0; round < ROUNDS; round += 1) {
  nestRates.push(await measure(nestUrl, DURATION_S));
  bareRates.push(await measure(bareUrl, DURATION_S));
}

const nestMedian = median(nestRates);
const bareMedian = median(bareRates);
console.log(
  `GET ${'/groups/:groupId/images'} (${IMAGES} images, ${CONNECTIONS} connections, ${ROUNDS}×${DURATION_S} s each, alternating)`,
);
console.log(
  `  Nest app:       ${nestMedian.toFixed(0)} req/s (rounds: ${nestRates.map((r) => r.toFixed(0)).join(', ')})`,
);
console.log(
  `  bare Express:   ${bareMedian.toFixed(0)} req/s (rounds: ${bareRates.map((r) => r.toFixed(0)).join(', ')})`,
);
console.log(`  ratio Nest/bare: ${(nestMedian / bareMedian).toFixed(2)} (goal ≥ 0.8)`);

await nest.close();
await new Promise((resolve) => bare.close(resolve));
await cloud.stop();

async function post<T = unknown>(url: string, body: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${url} → ${response.status}`);
  return (await response.json()) as T;
}

async function measure(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url: url + path, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The same reads and presigning as the API's list route, with nothing else around it. */
async function startBareExpress(): Promise<Server> {
  const env = cloud.env;
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
  );
  const s3 = new S3Client({
    region: env.AWS_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const app = express();
  app.get('/groups/:groupId/images', async (request, response) => {
    const groupId = request.params.groupId;
    const group = await dynamoDb.send(new GetCommand({ TableName: 'bench-groups', Key: { id: groupId } }));
    if (group.Item === undefined) {
      response.status(404).json({ statusCode: 404 });
      return;
    }
    const { Items = [] } = await dynamoDb.send(
      new QueryCommand({
        TableName: 'bench-images',
        KeyConditionExpression: 'groupId = :groupId',
        ExpressionAttributeValues: { ':groupId': groupId },
        ScanIndexForward: false,
        Limit: 20,
      }),
    );
    const items = await Promise.all(
      Items.map(async ({ groupId: g, timestamp, imageId, userId, title, status, contentType, objectKey }) => ({
        groupId: g,
        timestamp,
        imageId,
        userId,
        title,
        status,
        contentType,
        imageUrl: await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'bench-images', Key: objectKey }), {
          expiresIn: 3600,
        }),
      })),
    );
    response.json({ items });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
