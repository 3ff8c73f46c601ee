import { ServiceUnavailableError } from '@app/errors';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageClassificationRepository } from './image-classification.repository.js';
import { imageItemKey } from './image-key.js';
import { unfinishedMarker, type ImageClassification } from './image.js';
import { ImageLabelsRepository, labelWordShard } from './image-labels.repository.js';
import type { ImagesConfig } from './images.config.js';
import { pendingImage, sentTransactItems, transactionCancelled } from './repository.spec-support.js';

// The conditions each write sends and what a failed one means; their effect on real items is checked against
// DynamoDB Local by the pipeline's integration and e2e tests.
const dynamoDbMock = mockClient(DynamoDBDocumentClient);
const config = { tableName: 'images', labelsTableName: 'labels', labelIndexMinConfidence: 0.1 } as ImagesConfig;
const NOT_HELD = '(attribute_not_exists(claimedAt) OR claimedAt < :staleBefore)';
const STALE_BEFORE = '2026-12-05T10:00:00.000Z';
const image = pendingImage;
const classification: ImageClassification = {
  classLabel: 'golden retriever',
  confidence: 0.9,
  labels: [
    { label: 'golden retriever', confidence: 0.9, classId: 207 },
    { label: 'tennis ball', confidence: 0.01, classId: 852 },
  ],
  model: 'squeezenet',
};

function repository() {
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  // The label index's puts and deletes are plain items of the same transaction: no reads, no throttle path.
  return new ImageClassificationRepository(dynamoDb, config, new ImageLabelsRepository(config, undefined as never));
}

const conditionFailed = (item?: Record<string, { S: string }>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item });
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} });

function sentUpdates() {
  return dynamoDbMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

describe('ImageClassificationRepository', () => {
  beforeEach(() => {
    dynamoDbMock.reset();
  });

  describe('claim', () => {
    it('claims only an image nobody holds that is pending or failed on a transient error, returning it as stored', async () => {
      const stored = { ...image, claimToken: 'run-1', claimedAt: '2026-12-05T10:02:00.000Z' };
      dynamoDbMock.on(UpdateCommand).resolves({ Attributes: stored });

      const claim = await repository().claim(image, 'run-1', STALE_BEFORE);

      expect(claim).toEqual({ image: stored, token: 'run-1' });
      const [update] = sentUpdates();
      expect(update).toMatchObject({
        TableName: 'images',
        Key: imageItemKey(image),
        UpdateExpression: 'SET claimToken = :token, claimedAt = :now',
        ConditionExpression:
          '(#status = :pending OR (#status = :failed AND failure.errorType IN (:transient0, :transient1, :transient2))) ' +
          `AND ${NOT_HELD}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':token': 'run-1',
          ':pending': 'PENDING',
          ':failed': 'FAILED',
          ':transient0': 'ClassifierUnavailable',
          ':transient1': 'DownloadFailed',
          ':transient2': 'DeadlineExceeded',
          ':staleBefore': STALE_BEFORE,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      expect(Date.parse(update?.ExpressionAttributeValues?.[':now'] as string)).not.toBeNaN();
    });

    it('answers HELD when another run claimed the image after the stale limit, so a later delivery looks again', async () => {
      dynamoDbMock.on(UpdateCommand).rejects(
        conditionFailed({
          status: { S: 'PENDING' },
          claimToken: { S: 'run-0' },
          claimedAt: { S: '2026-12-05T10:00:30.000Z' },
        }),
      );

      await expect(repository().claim(image, 'run-1', STALE_BEFORE)).resolves.toBe('HELD');
    });

    it('answers DONE when the image is classified, failed for good, or its run went silent', async () => {
      const refusals: (Record<string, { S: string }> | undefined)[] = [
        { status: { S: 'CLASSIFIED' }, claimToken: { S: 'run-0' }, claimedAt: { S: '2026-12-05T10:00:30.000Z' } },
        { status: { S: 'FAILED' }, claimToken: { S: 'run-0' } },
        { status: { S: 'PENDING' }, claimToken: { S: 'run-0' }, claimedAt: { S: '2026-12-05T09:59:59.000Z' } },
        undefined,
      ];
      for (const item of refusals) {
        dynamoDbMock.on(UpdateCommand).rejects(conditionFailed(item));
        await expect(repository().claim(image, 'run-1', STALE_BEFORE)).resolves.toBe('DONE');
      }
    });

    it('reports a throttled DynamoDB as unavailable and passes any other failure on unchanged', async () => {
      dynamoDbMock.on(UpdateCommand).rejects(throttled());
      await expect(repository().claim(image, 'run-1', STALE_BEFORE)).rejects.toBeInstanceOf(ServiceUnavailableError);

      const bug = new TypeError('not a DynamoDB failure');
      dynamoDbMock.on(UpdateCommand).rejects(bug);
      await expect(repository().claim(image, 'run-1', STALE_BEFORE)).rejects.toBe(bug);
    });
  });

  describe('adopt', () => {
    it('takes up the token a re-classification request left, only while no run holds it', async () => {
      dynamoDbMock.on(UpdateCommand).resolves({ Attributes: { ...image, claimToken: 'request-2' } });

      await expect(repository().adopt(image, 'request-2', STALE_BEFORE)).resolves.toMatchObject({ token: 'request-2' });

      expect(sentUpdates()[0]).toMatchObject({
        ConditionExpression: `claimToken = :token AND ${NOT_HELD}`,
        ExpressionAttributeValues: { ':token': 'request-2', ':staleBefore': STALE_BEFORE },
      });
    });

    it('answers HELD only while a fresh run of the same request holds it, DONE once a newer request replaced it', async () => {
      const fresh = { S: '2026-12-05T10:00:30.000Z' };
      dynamoDbMock
        .on(UpdateCommand)
        .rejects(conditionFailed({ status: { S: 'PENDING' }, claimToken: { S: 'request-2' }, claimedAt: fresh }));
      await expect(repository().adopt(image, 'request-2', STALE_BEFORE)).resolves.toBe('HELD');

      dynamoDbMock
        .on(UpdateCommand)
        .rejects(conditionFailed({ status: { S: 'PENDING' }, claimToken: { S: 'request-3' }, claimedAt: fresh }));
      await expect(repository().adopt(image, 'request-2', STALE_BEFORE)).resolves.toBe('DONE');
    });
  });

  describe('requestReclassification', () => {
    it('makes an existing image PENDING under the new token and drops the current run’s claim', async () => {
      const pending = { ...image, claimToken: 'request-2' };
      dynamoDbMock.on(UpdateCommand).resolves({ Attributes: pending });

      await expect(
        repository().requestReclassification({ ...image, status: 'CLASSIFIED' }, 'request-2'),
      ).resolves.toEqual(pending);

      expect(sentUpdates()[0]).toEqual({
        TableName: 'images',
        Key: imageItemKey(image),
        UpdateExpression: 'SET #status = :pending, claimToken = :token, unfinishedStatus = :marker REMOVE claimedAt',
        ConditionExpression: 'attribute_exists(groupId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'PENDING',
          ':token': 'request-2',
          ':marker': unfinishedMarker('PENDING', 'i1'),
        },
        ReturnValues: 'ALL_NEW',
      });
    });

    it('answers undefined for an image deleted meanwhile', async () => {
      dynamoDbMock.on(UpdateCommand).rejects(conditionFailed());

      await expect(repository().requestReclassification(image, 'request-2')).resolves.toBeUndefined();
    });
  });

  describe('recordClassification', () => {
    const claim = { image: { ...image, labelWords: ['cat', 'golden'] }, token: 'run-1' };

    it('writes the result only under the claim’s token, with the label index in the same transaction', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});

      await expect(repository().recordClassification(claim, classification)).resolves.toBe(true);

      const [result, ...labelItems] = sentTransactItems(dynamoDbMock);
      expect(result?.Update).toMatchObject({
        TableName: 'images',
        Key: imageItemKey(image),
        ConditionExpression: 'claimToken = :token',
        ExpressionAttributeValues: {
          ':token': 'run-1',
          ':classified': 'CLASSIFIED',
          ':marker': unfinishedMarker('THUMBNAIL', 'i1'),
        },
      });
      expect(result?.Update?.UpdateExpression).toMatch(/REMOVE failure, lastAttemptFailure, claimToken, claimedAt$/);
      // The 0.01 label is under the index's threshold; "cat" was indexed before and goes; "golden" is put again.
      const labelPut = (word: string) => ({
        Put: {
          TableName: 'labels',
          Item: {
            word: labelWordShard(word, image.timestampId),
            groupWord: `g1#${word}`,
            timestampId: image.timestampId,
            groupId: 'g1',
            imageId: 'i1',
          },
        },
      });
      expect(labelItems).toEqual([
        {
          Delete: {
            TableName: 'labels',
            Key: { word: labelWordShard('cat', image.timestampId), timestampId: image.timestampId },
          },
        },
        labelPut('golden'),
        labelPut('retriever'),
      ]);
    });

    it('takes the image off the unfinished index when its thumbnail is already there', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});

      await repository().recordClassification(
        { ...claim, image: { ...claim.image, thumbnailKey: 'thumbnails/i1' } },
        classification,
      );

      const [result] = sentTransactItems(dynamoDbMock);
      expect(result?.Update?.UpdateExpression).toMatch(
        /REMOVE failure, lastAttemptFailure, claimToken, claimedAt, unfinishedStatus$/,
      );
      expect(result?.Update?.ExpressionAttributeValues).not.toHaveProperty(':marker');
    });

    it('answers false when the token’s condition failed: a newer run owns the image', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('ConditionalCheckFailed', 'None', 'None'));

      await expect(repository().recordClassification(claim, classification)).resolves.toBe(false);
    });

    it('does not read a cancellation for another reason as a lost claim', async () => {
      const conflict = transactionCancelled('TransactionConflict', 'None');
      dynamoDbMock.on(TransactWriteCommand).rejects(conflict);
      await expect(repository().recordClassification(claim, classification)).rejects.toBe(conflict);

      dynamoDbMock.on(TransactWriteCommand).rejects(throttled());
      await expect(repository().recordClassification(claim, classification)).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    });
  });

  describe('recordFailure', () => {
    const failure = { errorType: 'ClassifierUnavailable', reason: 'The classifier did not answer' };

    it('keeps an earlier result on a transient failure and leaves the image for a retry, under the token', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});
      const labelled = { ...image, status: 'CLASSIFIED' as const, classLabel: 'dog', labelWords: ['dog'] };

      await expect(
        repository().recordFailure({ image: labelled, token: 'run-1' }, failure, { transient: true }),
      ).resolves.toBe(true);

      expect(sentTransactItems(dynamoDbMock)).toEqual([
        {
          Update: {
            TableName: 'images',
            Key: imageItemKey(image),
            UpdateExpression:
              'SET #status = :classified, lastAttemptFailure = :failure, unfinishedStatus = :marker REMOVE claimedAt',
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':classified': 'CLASSIFIED',
              ':failure': failure,
              ':marker': unfinishedMarker('FAILED', 'i1'),
              ':token': 'run-1',
            },
          },
        },
      ]);
    });

    it('fails an image for good on a permanent failure, dropping its labels, token and index entries', async () => {
      dynamoDbMock.on(TransactWriteCommand).resolves({});
      const labelled = { ...image, classLabel: 'dog', labelWords: ['dog'] };

      await repository().recordFailure({ image: labelled, token: 'run-1' }, failure, { transient: false });

      const [result, ...labelItems] = sentTransactItems(dynamoDbMock);
      expect(result?.Update).toMatchObject({
        UpdateExpression:
          'SET #status = :failed, failure = :failure, classifiedAt = :now ' +
          'REMOVE classLabel, confidence, labels, model, labelWords, lastAttemptFailure, claimedAt, claimToken, unfinishedStatus',
        ConditionExpression: 'claimToken = :token',
        ExpressionAttributeValues: { ':failed': 'FAILED', ':failure': failure, ':token': 'run-1' },
      });
      expect(labelItems).toEqual([
        {
          Delete: {
            TableName: 'labels',
            Key: { word: labelWordShard('dog', image.timestampId), timestampId: image.timestampId },
          },
        },
      ]);
    });

    it('answers false when the claim was lost meanwhile', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(transactionCancelled('ConditionalCheckFailed'));

      await expect(repository().recordFailure({ image, token: 'run-1' }, failure, { transient: true })).resolves.toBe(
        false,
      );
    });
  });

  describe('releaseClaim', () => {
    it('removes the run’s time but keeps the token, only while the token is still the image’s', async () => {
      dynamoDbMock.on(UpdateCommand).resolves({});

      await repository().releaseClaim({ image, token: 'run-1' });

      expect(sentUpdates()).toEqual([
        {
          TableName: 'images',
          Key: imageItemKey(image),
          UpdateExpression: 'REMOVE claimedAt',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': 'run-1' },
        },
      ]);
    });

    it('is a no-op when the claim was lost, and reports a throttled DynamoDB as unavailable', async () => {
      dynamoDbMock.on(UpdateCommand).rejects(conditionFailed());
      await expect(repository().releaseClaim({ image, token: 'run-1' })).resolves.toBeUndefined();

      dynamoDbMock.on(UpdateCommand).rejects(throttled());
      await expect(repository().releaseClaim({ image, token: 'run-1' })).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    });
  });

  describe('recordThumbnail', () => {
    it('records the key on an existing image, then clears a THUMBNAIL marker only once the thumbnail is there', async () => {
      dynamoDbMock.on(UpdateCommand).resolves({});

      await repository().recordThumbnail(image, 'thumbnails/i1');

      expect(sentUpdates()).toEqual([
        {
          TableName: 'images',
          Key: imageItemKey(image),
          UpdateExpression: 'SET thumbnailKey = :key',
          ConditionExpression: 'attribute_exists(groupId)',
          ExpressionAttributeValues: { ':key': 'thumbnails/i1' },
        },
        {
          TableName: 'images',
          Key: imageItemKey(image),
          UpdateExpression: 'REMOVE unfinishedStatus',
          ConditionExpression: 'unfinishedStatus = :marker AND attribute_exists(thumbnailKey)',
          ExpressionAttributeValues: { ':marker': unfinishedMarker('THUMBNAIL', 'i1') },
        },
      ]);
    });

    it('accepts that the image is gone or its marker is another one', async () => {
      dynamoDbMock.on(UpdateCommand).rejects(conditionFailed());

      await expect(repository().recordThumbnail(image, 'thumbnails/i1')).resolves.toBeUndefined();
      expect(sentUpdates()).toHaveLength(2);
    });
  });
});
