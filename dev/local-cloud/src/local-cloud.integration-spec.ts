import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from './local-cloud.js';
import type { S3Notification } from './s3-notification.js';

// Each start runs a JVM: 1–12 s on two busy cores.
const START_TIMEOUT_MS = 45_000;
const BUCKET = 'spec-bucket';

const notesTable: CreateTableCommandInput = {
  TableName: 'notes',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
};

/** Clients configured only from the cloud's env, as the API configures its own (credentials through the env chain). */
function clientsFor(env: Record<string, string>) {
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
  return {
    dynamoDb: new DynamoDBClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT, credentials }),
    s3: new S3Client({
      region: env.AWS_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}

describe('startLocalCloud', () => {
  describe('in memory', () => {
    let cloud: LocalCloud;
    const lines: string[] = [];

    beforeAll(async () => {
      cloud = await startLocalCloud({
        inMemory: true,
        tables: [notesTable],
        bucket: BUCKET,
        log: (line) => lines.push(line),
      });
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await cloud?.stop();
    });

    it('gives the API every variable it needs, all on loopback', () => {
      expect(cloud.env).toEqual({
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        DYNAMODB_ENDPOINT: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        S3_ENDPOINT: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        S3_FORCE_PATH_STYLE: 'true',
        IMAGES_BUCKET: BUCKET,
        JWKS_URL: cloud.identity.jwksUrl,
        JWT_ISSUER: cloud.identity.issuer,
        JWT_AUDIENCE: 'udagram-api',
      });
      expect(cloud.identity.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(cloud.dataDir).toBeUndefined();
    });

    it('reports its progress, one line per step', () => {
      expect(lines).toEqual([
        expect.stringMatching(/^DynamoDB Local on \S+ \(in memory\) ready in \d+\.\d s$/),
        'Table notes created',
        expect.stringMatching(/^S3 emulator on \S+ \(bucket spec-bucket, temporary data in \S+\) ready in \d+\.\d s$/),
        expect.stringMatching(/^Dev identity provider on \S+ \(kid \S+\) ready in \d+\.\d s$/),
        expect.stringMatching(/^Local cloud ready in \d+\.\d s$/),
      ]);
    });

    it('has created the tables and the bucket, and emits an event for each upload', async () => {
      const { dynamoDb, s3 } = clientsFor(cloud.env);
      const notified = once(cloud.s3Events, 'event') as Promise<[S3Notification]>;

      const table = await dynamoDb.send(new DescribeTableCommand({ TableName: 'notes' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'hello.txt', Body: 'hello' }));

      expect(table.Table?.TableStatus).toBe('ACTIVE');
      const [notification] = await notified;
      expect(notification.Records[0]?.s3.object.key).toBe('hello.txt');
      dynamoDb.destroy();
      s3.destroy();
    });

    it('serves tokens that its JWKS verifies', async () => {
      const response = await fetch(`${cloud.identity.tokenUrl}?sub=alice`);

      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toMatchObject({ token_type: 'Bearer' });
    });
  });

  describe('with a data directory', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'local-cloud-spec-'));
    });

    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it(
      'keeps tables, items, objects and the signing key across a restart of DynamoDB Local and of the cloud, and stops everything',
      async () => {
        const first = await startLocalCloud({ dataDir, tables: [notesTable], bucket: BUCKET });
        const firstClients = clientsFor(first.env);
        await firstClients.dynamoDb.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: 'n1' } } }));
        await first.restartDynamoDb();
        await expect(
          firstClients.dynamoDb.send(new GetItemCommand({ TableName: 'notes', Key: { id: { S: 'n1' } } })),
        ).resolves.toMatchObject({ Item: { id: { S: 'n1' } } });
        await firstClients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.txt', Body: 'kept' }));
        firstClients.dynamoDb.destroy();
        firstClients.s3.destroy();
        const firstKid = first.identity.kid;
        await first.stop();
        await expect(fetch(first.identity.jwksUrl)).rejects.toThrow();

        const lines: string[] = [];
        const second = await startLocalCloud({
          dataDir,
          tables: [notesTable],
          bucket: BUCKET,
          log: (line) => lines.push(line),
        });
        const { dynamoDb, s3 } = clientsFor(second.env);
        try {
          expect(second.dataDir).toBe(dataDir);
          expect(lines).toContain('Table notes exists');
          await expect(
            dynamoDb.send(new GetItemCommand({ TableName: 'notes', Key: { id: { S: 'n1' } } })),
          ).resolves.toMatchObject({
            Item: { id: { S: 'n1' } },
          });
          const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.txt' }));
          await expect(object.Body!.transformToString()).resolves.toBe('kept');
          expect(second.identity.kid).toBe(firstKid);
          expect((await readdir(dataDir)).sort()).toEqual(['dev-idp', 'dynamodb', 's3']);
        } finally {
          dynamoDb.destroy();
          s3.destroy();
          await second.stop();
        }
      },
      3 * START_TIMEOUT_MS,
    );
  });

  it(
    'stops what it started when a later step fails',
    async () => {
      const badTable = { ...notesTable, TableName: 'bad', KeySchema: [] };
      const lines: string[] = [];

      const starting = startLocalCloud({
        inMemory: true,
        tables: [badTable],
        bucket: BUCKET,
        log: (line) => lines.push(line),
      });

      await expect(starting).rejects.toThrow();
      const endpoint = lines[0]!.match(/on (\S+)/)![1]!;
      await expect(fetch(endpoint, { method: 'POST' })).rejects.toThrow();
    },
    START_TIMEOUT_MS,
  );
});
