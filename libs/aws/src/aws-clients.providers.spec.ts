import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Test } from '@nestjs/testing';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsModule } from './aws.module.js';

describe('AwsModule', () => {
  const savedEnvironment = { ...process.env };

  beforeEach(() => {
    process.env = { ...savedEnvironment, AWS_REGION: 'eu-west-1' };
    delete process.env.DYNAMODB_ENDPOINT;
    delete process.env.S3_ENDPOINT;
    delete process.env.S3_FORCE_PATH_STYLE;
  });

  afterEach(() => {
    process.env = savedEnvironment;
  });

  it('builds clients for the configured region with no endpoint override in AWS', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AwsModule] }).compile();

    const s3 = moduleRef.get(S3Client);
    const dynamoDb = moduleRef.get(DynamoDBDocumentClient);

    await expect(s3.config.region()).resolves.toBe('eu-west-1');
    await expect(dynamoDb.config.region()).resolves.toBe('eu-west-1');
    expect(s3.config.endpoint).toBeUndefined();
    await expect(s3.config.requestChecksumCalculation()).resolves.toBe('WHEN_REQUIRED');
    await moduleRef.close();
  });

  it('points the clients at local endpoints given by the environment', async () => {
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:8000';
    process.env.S3_ENDPOINT = 'http://127.0.0.1:4569';
    process.env.S3_FORCE_PATH_STYLE = 'true';

    const moduleRef = await Test.createTestingModule({ imports: [AwsModule] }).compile();

    const s3Endpoint = await moduleRef.get(S3Client).config.endpoint?.();
    const dynamoEndpoint = await moduleRef.get(DynamoDBDocumentClient).config.endpoint?.();
    expect(s3Endpoint?.hostname).toBe('127.0.0.1');
    expect(s3Endpoint?.port).toBe(4569);
    expect(dynamoEndpoint?.port).toBe(8000);
    expect(moduleRef.get(S3Client).config.forcePathStyle).toBe(true);
    await moduleRef.close();
  });

  it('gives the DynamoDB client the SDK’s standard retry strategy with the configured attempts and back-off', async () => {
    process.env.DYNAMODB_MAX_ATTEMPTS = '4';
    process.env.DYNAMODB_RETRY_BASE_DELAY_MS = '10';
    process.env.DYNAMODB_RETRY_MAX_DELAY_MS = '30';

    const moduleRef = await Test.createTestingModule({ imports: [AwsModule] }).compile();

    const strategy = (await moduleRef.get(DynamoDBDocumentClient).config.retryStrategy()) as ConfiguredRetryStrategy;
    expect(strategy).toBeInstanceOf(ConfiguredRetryStrategy);
    expect(strategy.mode).toBe('standard');
    let token = await strategy.acquireInitialRetryToken('dynamodb');
    const delays: number[] = [];
    for (let retry = 1; retry < 4; retry++) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
      delays.push(token.getRetryDelay());
    }
    expect(delays.every((delay) => delay >= 0 && delay < 30)).toBe(true);
    // The fourth attempt was the last.
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow();
    await moduleRef.close();
  });

  it('refuses a retry budget whose longest wait is shorter than its first', async () => {
    process.env.DYNAMODB_RETRY_BASE_DELAY_MS = '200';
    process.env.DYNAMODB_RETRY_MAX_DELAY_MS = '100';

    await expect(Test.createTestingModule({ imports: [AwsModule] }).compile()).rejects.toThrow(
      'DYNAMODB_RETRY_MAX_DELAY_MS must not be less than DYNAMODB_RETRY_BASE_DELAY_MS',
    );
  });

  it('refuses retry settings out of range, naming each', async () => {
    process.env.DYNAMODB_RETRY_MAX_ATTEMPTS = '0';
    process.env.DYNAMODB_RETRY_BUDGET_MS = 'soon';

    await expect(Test.createTestingModule({ imports: [AwsModule] }).compile()).rejects.toThrow(
      /DYNAMODB_RETRY_MAX_ATTEMPTS must not be less than 1.*DYNAMODB_RETRY_BUDGET_MS/,
    );
  });

  it('refuses to boot without a region', async () => {
    delete process.env.AWS_REGION;

    await expect(Test.createTestingModule({ imports: [AwsModule] }).compile()).rejects.toThrow(
      /AWS_REGION must be a string/,
    );
  });
});
