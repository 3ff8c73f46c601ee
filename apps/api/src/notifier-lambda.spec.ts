import 'aws-sdk-client-mock-vitest/extend';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Logger } from '@nestjs/common';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const GROUP = '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f';

function classified(imageId: string, sequenceNumber: string): DynamoDBRecord {
  const image = (status: string) =>
    marshall({ groupId: GROUP, timestampId: `t#${imageId}`, imageId, status, classLabel: 'tabby' }) as NonNullable<
      DynamoDBRecord['dynamodb']
    >['NewImage'];
  return {
    eventName: 'MODIFY',
    dynamodb: { OldImage: image('PENDING'), NewImage: image('CLASSIFIED'), SequenceNumber: sequenceNumber },
  };
}

async function coldHandler() {
  vi.resetModules();
  return (await import('./notifier-lambda.js')).handler;
}

describe('the notifier Lambda handler', () => {
  const savedEnvironment = { ...process.env };
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);
  const managementApiMock = mockClient(ApiGatewayManagementApiClient);

  beforeEach(() => {
    process.env = {
      ...savedEnvironment,
      AWS_REGION: 'eu-west-1',
      SUBSCRIPTIONS_TABLE: 'udagram-subscriptions-prod',
      WEBSOCKET_MANAGEMENT_ENDPOINT: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    };
    delete process.env.DYNAMODB_ENDPOINT;
    dynamoDbMock.reset();
    managementApiMock.reset();
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    dynamoDbMock
      .on(QueryCommand, { ExpressionAttributeValues: { ':groupShard': `${GROUP}#3` } })
      .resolves({ Items: [{ connectionId: 'c1' }] });
    managementApiMock.on(PostToConnectionCommand).resolves({});
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    process.env = savedEnvironment;
    vi.restoreAllMocks();
  });

  it('posts each status change of the batch to the group’s watchers, found by Query', async () => {
    const handler = await coldHandler();
    const event: DynamoDBStreamEvent = { Records: [classified('i1', '1')] };

    await expect(handler(event, { getRemainingTimeInMillis: () => 100_000 })).resolves.toEqual({
      batchItemFailures: [],
    });

    expect(dynamoDbMock).toHaveReceivedCommandWith(QueryCommand, { TableName: 'udagram-subscriptions-prod' });
    expect(managementApiMock).toHaveReceivedCommandWith(PostToConnectionCommand, {
      ConnectionId: 'c1',
      Data: JSON.stringify({
        type: 'ImageStatusChanged',
        imageId: 'i1',
        groupId: GROUP,
        status: 'CLASSIFIED',
        classLabel: 'tabby',
      }),
    });
  });

  it('hands the batch back from its first record when the invocation has too little time left', async () => {
    const handler = await coldHandler();

    await expect(
      handler({ Records: [classified('i1', '7'), classified('i2', '8')] }, { getRemainingTimeInMillis: () => 10_000 }),
    ).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: '7' }],
    });
    expect(managementApiMock).not.toHaveReceivedAnyCommand();
  });
});
