import { rethrowDependencyFailure } from '@app/aws';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { imageItemKey } from './image-key.js';
import {
  TRANSIENT_FAILURE_TYPES,
  unfinishedMarker,
  type ImageClassification,
  type ImageFailure,
  type ImageRecord,
} from './image.js';
import { ImageLabelsRepository, type TransactItem } from './image-labels.repository.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { indexedLabels, labelWords } from './label-words.js';

const unavailable = rethrowDependencyFailure('DynamoDB');
/** Nobody runs it now: no run ever took it, or the last one went silent. */
const NOT_HELD = '(attribute_not_exists(claimedAt) OR claimedAt < :staleBefore)';

/** A classification run that holds the image: only its token may write the result. */
export interface ClassificationClaim {
  image: ImageRecord;
  token: string;
}

/**
 * Why a claim was refused: another run holds the image right now (HELD: a later delivery should look again, in case
 * that run fails), or there is nothing for this request to do (DONE: finished, or superseded by a newer request).
 */
export type ClaimRefusal = 'HELD' | 'DONE';

/**
 * The classification state of images. Every write is conditional: a run first claims the image (a token and a
 * time), and its result is written only while that token is still the image's, so a duplicate delivery cannot
 * classify twice and a late run cannot overwrite a newer result.
 */
@Injectable()
export class ImageClassificationRepository {
  private readonly tableName: string;
  private readonly labelIndexMinConfidence: number;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(imagesConfig.KEY) config: ImagesConfig,
    private readonly labels: ImageLabelsRepository,
  ) {
    this.tableName = config.tableName;
    this.labelIndexMinConfidence = config.labelIndexMinConfidence;
  }

  /**
   * Claims an image nobody is classifying (or whose run went silent before `staleBefore`): a PENDING one, or one
   * FAILED on a transient error (a redriven message, the backfill). Undefined when the claim is refused.
   */
  async claim(image: ImageRecord, token: string, staleBefore: string): Promise<ClassificationClaim | ClaimRefusal> {
    return this.claimWhere(image, token, staleBefore, {
      condition:
        '(#status = :pending OR (#status = :failed AND failure.errorType IN (:transient0, :transient1, :transient2))) ' +
        `AND ${NOT_HELD}`,
      names: { '#status': 'status' },
      values: {
        ':pending': 'PENDING',
        ':failed': 'FAILED',
        ...Object.fromEntries(TRANSIENT_FAILURE_TYPES.map((type, index) => [`:transient${index}`, type])),
        ':staleBefore': staleBefore,
      },
    });
  }

  /**
   * Takes up the claim a re-classification request left on the image (its token, no run yet), unless a newer
   * request replaced the token or another delivery of the same message holds it now.
   */
  adopt(image: ImageRecord, token: string, staleBefore: string): Promise<ClassificationClaim | ClaimRefusal> {
    return this.claimWhere(image, token, staleBefore, {
      condition: `claimToken = :token AND ${NOT_HELD}`,
      values: { ':staleBefore': staleBefore },
    });
  }

  /**
   * A re-classification request: the image is PENDING again under a new token that only the queued message carries,
   * so any run still going (or a late delivery) can no longer write its result. Its labels stay until the new ones
   * replace them. Undefined when the image is gone.
   */
  async requestReclassification(image: ImageRecord, token: string): Promise<ImageRecord | undefined> {
    try {
      const { Attributes } = await this.dynamoDb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: imageItemKey(image),
          UpdateExpression: 'SET #status = :pending, claimToken = :token, unfinishedStatus = :marker REMOVE claimedAt',
          ConditionExpression: 'attribute_exists(groupId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'PENDING',
            ':token': token,
            ':marker': unfinishedMarker('PENDING', image.imageId),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as ImageRecord;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      return unavailable(error);
    }
  }

  /**
   * Stores the labels and indexes their words; false when the claim was lost to a newer run. The image stays on the
   * unfinished index (as THUMBNAIL) until its thumbnail is recorded.
   */
  recordClassification(claim: ClassificationClaim, classification: ImageClassification): Promise<boolean> {
    const words = labelWords(indexedLabels(classification.labels, this.labelIndexMinConfidence));
    const staleWords = (claim.image.labelWords ?? []).filter((word) => !words.includes(word));
    const thumbnailMissing = claim.image.thumbnailKey === undefined;
    return this.writeClaimed(claim, [
      {
        Update: {
          TableName: this.tableName,
          Key: imageItemKey(claim.image),
          UpdateExpression:
            'SET #status = :classified, classLabel = :classLabel, confidence = :confidence, labels = :labels, ' +
            `model = :model, classifiedAt = :now, labelWords = :words${thumbnailMissing ? ', unfinishedStatus = :marker' : ''} ` +
            `REMOVE failure, lastAttemptFailure, claimToken, claimedAt${thumbnailMissing ? '' : ', unfinishedStatus'}`,
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':classified': 'CLASSIFIED',
            ':classLabel': classification.classLabel,
            ':confidence': classification.confidence,
            ':labels': classification.labels,
            ':model': classification.model,
            ':now': new Date().toISOString(),
            ':words': words,
            ':token': claim.token,
            ...(thumbnailMissing ? { ':marker': unfinishedMarker('THUMBNAIL', claim.image.imageId) } : {}),
          },
        },
      },
      ...this.labels.deletes(claim.image, staleWords),
      ...this.labels.puts(claim.image, words),
    ]);
  }

  /**
   * Records a failure; false when the claim was lost. A permanent one (the photo cannot be classified) makes the
   * image FAILED and drops any earlier labels. A transient one (retries spent) never destroys a result: an image
   * that has labels stays CLASSIFIED with them and the attempt's failure beside them; one without is FAILED. Both
   * stay on the unfinished index (FAILED) and keep the token, so a redriven message or the backfill tries again.
   */
  recordFailure(claim: ClassificationClaim, failure: ImageFailure, options: { transient: boolean }): Promise<boolean> {
    const key = imageItemKey(claim.image);
    const retryMarker = unfinishedMarker('FAILED', claim.image.imageId);
    if (options.transient && claim.image.classLabel !== undefined) {
      return this.writeClaimed(claim, [
        {
          Update: {
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              'SET #status = :classified, lastAttemptFailure = :failure, unfinishedStatus = :marker REMOVE claimedAt',
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':classified': 'CLASSIFIED',
              ':failure': failure,
              ':marker': retryMarker,
              ':token': claim.token,
            },
          },
        },
      ]);
    }
    return this.writeClaimed(claim, [
      {
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            `SET #status = :failed, failure = :failure, classifiedAt = :now${options.transient ? ', unfinishedStatus = :marker' : ''} ` +
            `REMOVE classLabel, confidence, labels, model, labelWords, lastAttemptFailure, claimedAt` +
            (options.transient ? '' : ', claimToken, unfinishedStatus'),
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'FAILED',
            ':failure': failure,
            ':now': new Date().toISOString(),
            ':token': claim.token,
            ...(options.transient ? { ':marker': retryMarker } : {}),
          },
        },
      },
      ...this.labels.deletes(claim.image, claim.image.labelWords ?? []),
    ]);
  }

  /**
   * Gives the image back when a run cannot finish (a throttle, DynamoDB failing under it), so that the message's next
   * delivery may claim it at once instead of waiting for the claim to go stale. The token stays: a queued
   * re-classification adopts it again. A no-op if the claim was lost.
   */
  async releaseClaim(claim: ClassificationClaim): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: imageItemKey(claim.image),
          UpdateExpression: 'REMOVE claimedAt',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': claim.token },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }

  /** Records the thumbnail's key and takes the image off the unfinished index if only its thumbnail was missing. */
  async recordThumbnail(image: ImageRecord, thumbnailKey: string): Promise<void> {
    const key = imageItemKey(image);
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET thumbnailKey = :key',
          ConditionExpression: 'attribute_exists(groupId)',
          ExpressionAttributeValues: { ':key': thumbnailKey },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
    await this.clearThumbnailMarker(image);
  }

  /** Removes a THUMBNAIL marker once the thumbnail exists (a no-op for any other marker). */
  async clearThumbnailMarker(image: ImageRecord): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: imageItemKey(image),
          UpdateExpression: 'REMOVE unfinishedStatus',
          ConditionExpression: 'unfinishedStatus = :marker AND attribute_exists(thumbnailKey)',
          ExpressionAttributeValues: { ':marker': unfinishedMarker('THUMBNAIL', image.imageId) },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }

  private async claimWhere(
    image: ImageRecord,
    token: string,
    staleBefore: string,
    query: { condition: string; names?: Record<string, string>; values: Record<string, string> },
  ): Promise<ClassificationClaim | ClaimRefusal> {
    try {
      const { Attributes } = await this.dynamoDb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: imageItemKey(image),
          UpdateExpression: 'SET claimToken = :token, claimedAt = :now',
          ConditionExpression: query.condition,
          ExpressionAttributeNames: query.names,
          ExpressionAttributeValues: { ':token': token, ':now': new Date().toISOString(), ...query.values },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { image: Attributes as ImageRecord, token };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) return unavailable(error);
      // Held: a run took it and has not gone silent; for a re-classification, a run of this very request.
      const item = error.Item;
      const claimedAt = item?.claimedAt?.S;
      const held =
        claimedAt !== undefined &&
        claimedAt >= staleBefore &&
        (query.condition.startsWith('claimToken') ? item?.claimToken?.S === token : true);
      return held && item?.status?.S !== 'CLASSIFIED' ? 'HELD' : 'DONE';
    }
  }

  private async writeClaimed(claim: ClassificationClaim, items: TransactItem[]): Promise<boolean> {
    try {
      await this.dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      // Only the first item carries a condition: its failure means the claim is no longer ours.
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      return unavailable(error);
    }
  }
}
