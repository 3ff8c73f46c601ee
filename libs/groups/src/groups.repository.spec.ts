import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '@app/errors';
import { shardOf } from '@app/pagination';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GROUP_IMAGE_SHARDS, groupImageShards } from './group-image-shards.js';
import { DELETE_MARK_TTL_MS, GroupsRepository } from './groups.repository.js';
import { GROUP_LISTING_SHARDS } from './groups.table.js';

const dynamoDbMock = mockClient(DynamoDBDocumentClient);
const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };

function repository() {
  return new GroupsRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), {
    tableName: 'groups',
    imagesTableName: 'images',
    listingCacheTtlMs: 0,
  });
}

describe('GroupsRepository', () => {
  beforeEach(() => {
    dynamoDbMock.reset();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates a group in its listing shard at its position, with no counter, never overwriting one', async () => {
    dynamoDbMock.on(PutCommand).resolves({});

    await repository().create(group);

    const [put] = dynamoDbMock.commandCalls(PutCommand);
    expect(put?.args[0].input).toEqual({
      TableName: 'groups',
      Item: {
        ...group,
        listingShard: `groups#${shardOf('g1', GROUP_LISTING_SHARDS)}`,
        listingSort: `${group.timestamp}#g1`,
      },
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('lists newest first by merging every listing shard and returns only the API’s fields', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    dynamoDbMock.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'groups#2' } }).resolves({
      Items: [{ ...group, listingShard: 'groups#2', listingSort: `${group.timestamp}#g1` }],
    });

    const page = await repository().listNewestFirst(1, undefined);

    expect(page).toEqual({ groups: [group], last: undefined });
    const queries = dynamoDbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':shard']).sort()).toEqual([
      'groups#0',
      'groups#1',
      'groups#2',
      'groups#3',
    ]);
    expect(queries[0]).toMatchObject({ IndexName: 'byListingShard', ScanIndexForward: false });
  });

  it('starts the next page strictly below the last group’s position in every shard', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });

    await repository().listNewestFirst(5, { id: 'g1', timestamp: group.timestamp });

    for (const call of dynamoDbMock.commandCalls(QueryCommand)) {
      expect(call.args[0].input).toMatchObject({
        KeyConditionExpression: 'listingShard = :shard AND listingSort < :before',
        ExpressionAttributeValues: { ':before': `${group.timestamp}#g1` },
      });
    }
  });

  it('checks for images with strongly consistent reads of every one of the group’s image shards', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });
    await expect(repository().holdsImages('g1')).resolves.toBe(false);
    const queries = dynamoDbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':groupShard'])).toEqual(groupImageShards('g1'));
    for (const query of queries) expect(query).toMatchObject({ TableName: 'images', ConsistentRead: true, Limit: 1 });

    dynamoDbMock
      .on(QueryCommand, { ExpressionAttributeValues: { ':groupShard': `g1#${GROUP_IMAGE_SHARDS - 1}` } })
      .resolves({ Items: [{ groupShard: 'g1#7' }] });
    await expect(repository().holdsImages('g1')).resolves.toBe(true);
  });

  it('lets an image join only a group that exists and is not being deleted (a mark older than its TTL is stale)', () => {
    const now = Date.parse('2026-12-05T10:00:00.000Z');
    vi.useFakeTimers({ now });

    const check = repository().imageJoinCheck('g1');

    expect(check).toEqual({
      ConditionCheck: {
        TableName: 'groups',
        Key: { id: 'g1' },
        ConditionExpression:
          'attribute_exists(id) AND (attribute_not_exists(deletingSince) OR deletingSince < :staleMark)',
        ExpressionAttributeValues: { ':staleMark': new Date(now - DELETE_MARK_TTL_MS).toISOString() },
      },
    });
  });

  it('reports a gone group when marking it for deletion, and a lost mark when deleting', async () => {
    dynamoDbMock
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    dynamoDbMock
      .on(DeleteCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    await expect(repository().markDeleting('g1')).resolves.toBeUndefined();
    await expect(repository().deleteMarked('g1', 'mark')).resolves.toBe(false);
  });

  it('turns an unreachable DynamoDB into a ServiceUnavailableError', async () => {
    dynamoDbMock.on(QueryCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(repository().listNewestFirst(20, undefined)).rejects.toThrow(ServiceUnavailableError);
  });
});
