import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { udagramCloudResources } from '../local-cloud/udagram-cloud.js';
import { mintTestToken } from './dev-token.js';

// Configured as the API configures its clients: region and endpoints from the environment, credentials from the
// SDK's default chain (here the local-only keys the set-up put in the environment).
const dynamoDb = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT });
const s3 = new S3Client({
  region: process.env.AWS_REGION,
  endpoint: process.env.S3_ENDPOINT,
  forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

afterAll(() => {
  dynamoDb.destroy();
  s3.destroy();
});

describe('the local cloud of the e2e run', () => {
  it('is in every worker’s environment before the tests are imported', () => {
    const env = inject('localCloudEnv');

    expect(Object.keys(env).sort()).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'CLASSIFICATION_CLAIM_TIMEOUT_SECONDS',
        'CLASSIFICATION_DEAD_LETTER_QUEUE_URL',
        'CLASSIFICATION_MAX_RECEIVE_COUNT',
        'CLASSIFICATION_QUEUE_URL',
        'CLASSIFIER_FUNCTION_NAME',
        'DYNAMODB_ENDPOINT',
        'JWKS_URL',
        'JWT_AUDIENCE',
        'JWT_ISSUER',
        'LAMBDA_ENDPOINT',
        'S3_ENDPOINT',
        'S3_FORCE_PATH_STYLE',
        'SQS_ENDPOINT',
        'THUMBNAIL_DEAD_LETTER_QUEUE_URL',
        'THUMBNAIL_QUEUE_URL',
        // Where the functions write their log lines (the run's .local/logs).
        'UDAGRAM_LOG_DIR',
        'WEBSOCKET_MANAGEMENT_ENDPOINT',
        'WEBSOCKET_URL',
        // The tables (SUBSCRIPTIONS_TABLE among them) and the bucket.
        ...Object.keys(udagramCloudResources().env),
      ].sort(),
    );
    for (const [name, value] of Object.entries(env)) expect(process.env[name], name).toBe(value);
  });

  it.each(udagramCloudResources().tables.map((table) => table.TableName!))(
    'has created the %s table',
    async (tableName) => {
      const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));

      expect(Table?.TableStatus).toBe('ACTIVE');
    },
  );

  it('has created the images bucket', async () => {
    const key = `e2e/${Date.now()}.txt`;
    await s3.send(new PutObjectCommand({ Bucket: process.env.IMAGES_BUCKET, Key: key, Body: 'hello' }));

    const object = await s3.send(new GetObjectCommand({ Bucket: process.env.IMAGES_BUCKET, Key: key }));

    await expect(object.Body!.transformToString()).resolves.toBe('hello');
  });

  it('mints test tokens that the JWKS at JWKS_URL verifies for the configured issuer and audience', async () => {
    const token = await mintTestToken('alice');

    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(process.env.JWKS_URL!)), {
      issuer: process.env.JWT_ISSUER,
      audience: process.env.JWT_AUDIENCE,
    });

    expect(payload.sub).toBe('alice');
  });
});
