import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '@app/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GroupsRepository } from './groups.repository.js';

const dynamoDbMock = mockClient(DynamoDBDocumentClient);
const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };

function repository() {
  return new GroupsRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), { tableName: 'groups' });
}

describe('GroupsRepository', () => {
  beforeEach(() => {
    dynamoDbMock.reset();
  });

  it('creates a group listed under the shared listing key with no images, never overwriting one', async () => {
    dynamoDbMock.on(PutCommand).resolves({});

    await repository().create(group);

    const [put] = dynamoDbMock.commandCalls(PutCommand);
    expect(put?.args[0].input).toEqual({
      TableName: 'groups',
      Item: { ...group, listing: 'groups', imageCount: 0 },
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('lists newest first through the timestamp index and returns only the API’s fields', async () => {
    dynamoDbMock.on(QueryCommand).resolves({
      Items: [{ ...group, listing: 'groups', imageCount: 3 }],
      LastEvaluatedKey: { id: 'g1', listing: 'groups', timestamp: group.timestamp },
    });

    const page = await repository().listNewestFirst(1, undefined);

    expect(page).toEqual({ groups: [group], lastKey: { id: 'g1', listing: 'groups', timestamp: group.timestamp } });
    expect(dynamoDbMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byTimestamp',
      ScanIndexForward: false,
      Limit: 1,
    });
  });

  it('reports a group that still holds images as not deleted', async () => {
    dynamoDbMock
      .on(DeleteCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    await expect(repository().deleteIfEmpty('g1')).resolves.toBe(false);
  });

  it('turns an unreachable DynamoDB into a ServiceUnavailableError', async () => {
    dynamoDbMock.on(QueryCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(repository().listNewestFirst(20, undefined)).rejects.toThrow(ServiceUnavailableError);
  });
});
