import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '@app/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsRepository } from './connections.repository.js';

const NOW = new Date('2026-11-26T07:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;

describe('ConnectionsRepository', () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);

  function repository() {
    const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    return new ConnectionsRepository(dynamoDb, {
      region: 'us-east-1',
      connectionsTableName: 'connections',
      managementEndpoint: undefined,
    });
  }

  beforeEach(() => {
    dynamoDbMock.reset();
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('records a connection that expires two hours after it opened', async () => {
    dynamoDbMock.on(PutCommand).resolves({});

    await repository().add('L0SM9cOFvHcCIhw=');

    expect(dynamoDbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: { connectionId: 'L0SM9cOFvHcCIhw=', connectedAt: NOW.toISOString(), expiresAt: NOW_SECONDS + 7200 },
    });
  });

  it('removes a connection by its id', async () => {
    dynamoDbMock.on(DeleteCommand).resolves({});

    await repository().remove('L0SM9cOFvHcCIhw=');

    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections',
      Key: { connectionId: 'L0SM9cOFvHcCIhw=' },
    });
  });

  it('lists the unexpired connections of every scan page', async () => {
    dynamoDbMock
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ connectionId: 'a' }, { connectionId: 'b' }], LastEvaluatedKey: { connectionId: 'b' } })
      .resolvesOnce({ Items: [{ connectionId: 'c' }] });

    const connectionIds = await repository().listAll();

    expect(connectionIds).toEqual(['a', 'b', 'c']);
    expect(dynamoDbMock).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(dynamoDbMock).toHaveReceivedNthCommandWith(ScanCommand, 2, {
      TableName: 'connections',
      FilterExpression: '#expiresAt > :now',
      ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':now': NOW_SECONDS },
      ExclusiveStartKey: { connectionId: 'b' },
    });
  });

  it('turns an unreachable DynamoDB into a ServiceUnavailableError', async () => {
    dynamoDbMock.on(ScanCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(repository().listAll()).rejects.toThrow(ServiceUnavailableError);
  });
});
