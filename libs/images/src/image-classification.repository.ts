import { rethrowDependencyFailure } from '@app/aws';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { ImageClassification, ImageFailure, ImageRecord } from './image.js';
import { ImageLabelsRepository, type TransactItem } from './image-labels.repository.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { indexedLabels, labelWords } from './label-words.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

/** A classification run that holds the image: only its token may write the result. */
export interface ClassificationClaim {
  image: ImageRecord;
  token: string;
}

/**
 * The classification state of images. Every write is conditional: a run first claims the image (a token and a
 * time), and its result is written only while that token is still the image's, so a duplicate S3 event cannot
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
   * Claims a PENDING image nobody is classifying (or whose run went silent before `staleBefore`); with `force`
   * (re-classification) claims it whatever its state. Undefined when the claim is refused.
   */
  async claim(image: ImageRecord, token: string, options: { force: boolean; staleBefore: string }): Promise<ClassificationClaim | undefined> {
    const condition = options.force
      ? 'attribute_exists(groupId)'
      : '#status = :pending AND (attribute_not_exists(claimedAt) OR claimedAt < :staleBefore)';
    try {
      const { Attributes } = await this.dynamoDb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { groupId: image.groupId, timestampId: image.timestampId },
          UpdateExpression: 'SET claimToken = :token, claimedAt = :now',
          ConditionExpression: condition,
          ExpressionAttributeNames: options.force ? undefined : { '#status': 'status' },
          ExpressionAttributeValues: {
            ':token': token,
            ':now': new Date().toISOString(),
            ...(options.force ? {} : { ':pending': 'PENDING', ':staleBefore': options.staleBefore }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { image: Attributes as ImageRecord, token };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      return unavailable(error);
    }
  }

  /** Stores the labels and indexes their words; false when the claim was lost to a newer run. */
  recordClassification(claim: ClassificationClaim, classification: ImageClassification): Promise<boolean> {
    const words = labelWords(indexedLabels(classification.labels, this.labelIndexMinConfidence));
    const staleWords = (claim.image.labelWords ?? []).filter((word) => !words.includes(word));
    return this.writeClaimed(claim, [
      {
        Update: {
          TableName: this.tableName,
          Key: { groupId: claim.image.groupId, timestampId: claim.image.timestampId },
          UpdateExpression:
            'SET #status = :classified, classLabel = :classLabel, confidence = :confidence, labels = :labels, ' +
            'model = :model, classifiedAt = :now, labelWords = :words ' +
            'REMOVE failure, unfinishedStatus, claimToken, claimedAt',
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
          },
        },
      },
      ...this.labels.deletes(claim.image, staleWords),
      ...this.labels.puts(claim.image, words),
    ]);
  }

  /** Marks the image FAILED with the reason, dropping any earlier labels; false when the claim was lost. */
  recordFailure(claim: ClassificationClaim, failure: ImageFailure): Promise<boolean> {
    return this.writeClaimed(claim, [
      {
        Update: {
          TableName: this.tableName,
          Key: { groupId: claim.image.groupId, timestampId: claim.image.timestampId },
          UpdateExpression:
            'SET #status = :failed, failure = :failure, unfinishedStatus = :failed, classifiedAt = :now ' +
            'REMOVE classLabel, confidence, labels, model, labelWords, claimToken, claimedAt',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED', ':failure': failure, ':now': new Date().toISOString(), ':token': claim.token },
        },
      },
      ...this.labels.deletes(claim.image, claim.image.labelWords ?? []),
    ]);
  }

  /**
   * Gives the image back when a run cannot finish (e.g. DynamoDB failed under it), so that Lambda's retry of the
   * event may claim it at once instead of waiting for the claim to go stale. A no-op if the claim was lost.
   */
  async releaseClaim(claim: ClassificationClaim): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { groupId: claim.image.groupId, timestampId: claim.image.timestampId },
          UpdateExpression: 'REMOVE claimToken, claimedAt',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': claim.token },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }

  /** Records the thumbnail's key; a no-op for an image deleted meanwhile. */
  async recordThumbnail(image: ImageRecord, thumbnailKey: string): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { groupId: image.groupId, timestampId: image.timestampId },
          UpdateExpression: 'SET thumbnailKey = :key',
          ConditionExpression: 'attribute_exists(groupId)',
          ExpressionAttributeValues: { ':key': thumbnailKey },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }

  private async writeClaimed(claim: ClassificationClaim, items: TransactItem[]): Promise<boolean> {
    try {
      await this.dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      // Only the first item carries a condition: its failure means the claim is no longer ours.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        return false;
      }
      return unavailable(error);
    }
  }
}
