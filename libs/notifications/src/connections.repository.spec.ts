import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '@app/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsRepository } from './connections.repository.js';

const NOW = new Date('2026-11-26T07:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const GROUP = '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f';

const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }), {
    Item: item,
  });

describe('ConnectionsRepository', () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);

  function repository() {
    const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    return new ConnectionsRepository(dynamoDb, {
      region: 'us-east-1',
      connectionsTableName: 'connections',
      subscriptionsTableName: 'subscriptions',
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

  it('removes a connection by its id and answers the groups it watched', async () => {
    dynamoDbMock.on(DeleteCommand).resolves({ Attributes: { connectionId: 'c1', groups: new Set(['g1', 'g2']) } });

    await expect(repository().remove('c1')).resolves.toEqual(['g1', 'g2']);

    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections',
      Key: { connectionId: 'c1' },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('answers no groups for a connection it did not know', async () => {
    dynamoDbMock.on(DeleteCommand).resolves({});

    await expect(repository().remove('c1')).resolves.toEqual([]);
  });

  it('adds a group to the connection’s set, bounded, and answers the connection’s expiry', async () => {
    dynamoDbMock
      .on(UpdateCommand)
      .resolves({ Attributes: { connectionId: 'c1', expiresAt: NOW_SECONDS + 100, groups: new Set([GROUP]) } });

    await expect(repository().addGroup('c1', GROUP, 25)).resolves.toEqual({ expiresAt: NOW_SECONDS + 100 });

    expect(dynamoDbMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'connections',
      Key: { connectionId: 'c1' },
      UpdateExpression: 'ADD #groups :group',
      ConditionExpression: expect.stringContaining('size(#groups) < :limit'),
      ExpressionAttributeValues: { ':group': new Set([GROUP]), ':groupId': GROUP, ':limit': 25 },
    });
  });

  it('tells a full connection from an unknown one when the condition fails', async () => {
    dynamoDbMock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ connectionId: 'c1' }))
      .rejectsOnce(conditionFailed());

    await expect(repository().addGroup('c1', GROUP, 25)).resolves.toEqual({ refused: 'TooManySubscriptions' });
    await expect(repository().addGroup('c1', GROUP, 25)).resolves.toEqual({ refused: 'UnknownConnection' });
  });

  it('removes a group from the connection’s set, and ignores an unknown connection', async () => {
    dynamoDbMock.on(UpdateCommand).rejects(conditionFailed());

    await expect(repository().removeGroup('c1', GROUP)).resolves.toBeUndefined();

    expect(dynamoDbMock).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'DELETE #groups :group' });
  });

  it('turns an unreachable DynamoDB into a ServiceUnavailableError', async () => {
    dynamoDbMock.on(PutCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(repository().add('c1')).rejects.toThrow(ServiceUnavailableError);
  });
});
