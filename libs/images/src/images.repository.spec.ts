import { NotFoundError, ServiceUnavailableError } from '@app/errors';
import type { GroupsService } from '@app/groups';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { imageItem, imageItemKey } from './image-key.js';
import type { ImageRecord } from './image.js';
import { ImageLabelsRepository, labelWordShard } from './image-labels.repository.js';
import type { ImagesConfig } from './images.config.js';
import { ImagesRepository } from './images.repository.js';
import {
  oneAttemptThrottleSafe,
  pendingImage,
  sentTransactItems,
  transactionCancelled,
} from './repository.spec-support.js';

// The conditions of the two transactional writes and what a failed one means; the same writes against DynamoDB
// Local (a deleted group, a second delete) are in the API's e2e tests.
const dynamoDbMock = mockClient(DynamoDBDocumentClient);
const config = { tableName: 'images', labelsTableName: 'labels' } as ImagesConfig;
const GROUP_CHECK = { TableName: 'groups', ConditionExpression: 'attribute_exists(id)' };
const image: ImageRecord = { ...pendingImage, labelWords: ['dog'] };

function repository() {
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const throttleSafe = oneAttemptThrottleSafe(dynamoDb);
  // The group's side of the check is GroupsRepository's (its spec): here, only where it sits in the transaction.
  const groups = {
    imageJoinCheck: (groupId: string) => ({ ConditionCheck: { ...GROUP_CHECK, Key: { id: groupId } } }),
  };
  return new ImagesRepository(
    dynamoDb,
    config,
    groups as unknown as GroupsService,
    new ImageLabelsRepository(config, throttleSafe),
    throttleSafe,
  );
}

describe('ImagesRepository', () => {
  beforeEach(() => {
    dynamoDbMock.reset();
  });

  describe('create', () => {
    it('puts a new image only beside a check that its group exists and is not being deleted', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});

      await repository().create(image);

      const [put, groupCheck] = sentTransactItems(dynamoDbMock);
      expect(put).toEqual({
        Put: { TableName: 'images', Item: imageItem(image), ConditionExpression: 'attribute_not_exists(groupId)' },
      });
      expect(groupCheck).toEqual({ ConditionCheck: { ...GROUP_CHECK, Key: { id: 'g1' } } });
    });

    it('answers a NotFoundError naming the group when the group’s condition failed', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('None', 'ConditionalCheckFailed'));

      const failure = repository().create(image);

      await expect(failure).rejects.toBeInstanceOf(NotFoundError);
      await expect(failure).rejects.toThrow('Group g1 does not exist');
    });

    it('does not call a clash on the image’s own key a missing group', async () => {
      const clash = transactionCancelled('ConditionalCheckFailed', 'None');
      dynamoDbMock.on(TransactWriteCommand).rejects(clash);

      await expect(repository().create(image)).rejects.toBe(clash);
    });

    it('reports a transaction cancelled only by conflicts as DynamoDB being unavailable', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('TransactionConflict', 'None'));

      await expect(repository().create(image)).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });

  describe('delete', () => {
    it('deletes an existing image with its label entries in one transaction', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});

      await repository().delete(image);

      expect(sentTransactItems(dynamoDbMock)).toEqual([
        { Delete: { TableName: 'images', Key: imageItemKey(image), ConditionExpression: 'attribute_exists(groupId)' } },
        {
          Delete: {
            TableName: 'labels',
            Key: { word: labelWordShard('dog', image.timestampId), timestampId: image.timestampId },
          },
        },
      ]);
    });

    it('answers a NotFoundError when the image was already deleted', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('ConditionalCheckFailed', 'None'));

      const failure = repository().delete(image);

      await expect(failure).rejects.toBeInstanceOf(NotFoundError);
      await expect(failure).rejects.toThrow('Image i1 does not exist');
    });

    it('reports a transaction cancelled only by conflicts as DynamoDB being unavailable', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('None', 'TransactionConflict'));

      await expect(repository().delete(image)).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });
});
