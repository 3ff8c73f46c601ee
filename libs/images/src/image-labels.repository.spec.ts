import { shardOf } from '@app/pagination';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageLabelsRepository, labelWordShard } from './image-labels.repository.js';
import type { ImagesConfig } from './images.config.js';
import { LABEL_WORD_SHARDS, LABELS_BY_GROUP_WORD_INDEX } from './images.table.js';
import { oneAttemptThrottleSafe } from './repository.spec-support.js';

const dynamoDbMock = mockClient(DynamoDBDocumentClient);
const image = { groupId: 'g1', timestampId: '2026-12-05T10:01:00.000Z#i1', imageId: 'i1' };

function repository() {
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const throttleSafe = oneAttemptThrottleSafe(dynamoDb);
  return new ImageLabelsRepository({ labelsTableName: 'labels' } as ImagesConfig, throttleSafe);
}

describe('ImageLabelsRepository', () => {
  beforeEach(() => {
    dynamoDbMock.reset();
  });

  it('places a word’s entry in the shard its image’s position hashes to', () => {
    expect(labelWordShard('dog', image.timestampId)).toBe(`dog#${shardOf(image.timestampId, LABEL_WORD_SHARDS)}`);
  });

  it('writes entries without conditions of their own: the image item’s condition in the same transaction guards them', () => {
    const labels = repository();

    expect(labels.puts(image, ['dog'])).toEqual([
      {
        Put: {
          TableName: 'labels',
          Item: {
            word: labelWordShard('dog', image.timestampId),
            groupWord: 'g1#dog',
            timestampId: image.timestampId,
            groupId: 'g1',
            imageId: 'i1',
          },
        },
      },
    ]);
    expect(labels.deletes(image, ['dog', 'cat'])).toEqual([
      {
        Delete: {
          TableName: 'labels',
          Key: { word: labelWordShard('dog', image.timestampId), timestampId: image.timestampId },
        },
      },
      {
        Delete: {
          TableName: 'labels',
          Key: { word: labelWordShard('cat', image.timestampId), timestampId: image.timestampId },
        },
      },
    ]);
  });

  it('searches a word in every shard, or in one group’s partition of the group index', async () => {
    dynamoDbMock.on(QueryCommand).resolves({ Items: [] });

    await repository().search('dog', undefined, 10, undefined);
    const anywhere = dynamoDbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(anywhere.map((query) => query.ExpressionAttributeValues?.[':key']).sort()).toEqual(
      Array.from({ length: LABEL_WORD_SHARDS }, (_, shard) => `dog#${shard}`),
    );
    expect(anywhere[0]).toMatchObject({
      TableName: 'labels',
      IndexName: undefined,
      KeyConditionExpression: 'word = :key',
    });

    dynamoDbMock.resetHistory();
    await repository().search('dog', 'g1', 10, '2026-12-05T10:00:00.000Z#i0');
    const inGroup = dynamoDbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]).toMatchObject({
      IndexName: LABELS_BY_GROUP_WORD_INDEX,
      KeyConditionExpression: 'groupWord = :key AND timestampId < :before',
      ExpressionAttributeValues: { ':key': 'g1#dog', ':before': '2026-12-05T10:00:00.000Z#i0' },
      ScanIndexForward: false,
    });
  });
});
