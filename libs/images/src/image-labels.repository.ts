import { rethrowDependencyFailure } from '@app/aws';
import type { PageKey } from '@app/pagination';
import { DynamoDBDocumentClient, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { ImageRecord } from './image.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { LABELS_BY_GROUP_WORD_INDEX } from './images.table.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Where an image is in the images table. */
export interface ImageKey {
  groupId: string;
  timestampId: string;
}

export const LABEL_PAGE_KEY_ATTRIBUTES = ['word', 'timestampId'] as const;
export const GROUP_LABEL_PAGE_KEY_ATTRIBUTES = ['word', 'timestampId', 'groupWord'] as const;

/** The label index: written only inside the images' own transactions, read by label search. */
@Injectable()
export class ImageLabelsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(imagesConfig.KEY) config: ImagesConfig,
  ) {
    this.tableName = config.labelsTableName;
  }

  puts(image: Pick<ImageRecord, 'groupId' | 'timestampId' | 'imageId'>, words: readonly string[]): TransactItem[] {
    return words.map((word) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          word,
          groupWord: `${image.groupId}#${word}`,
          timestampId: image.timestampId,
          groupId: image.groupId,
          imageId: image.imageId,
        },
      },
    }));
  }

  deletes(image: Pick<ImageRecord, 'timestampId'>, words: readonly string[]): TransactItem[] {
    return words.map((word) => ({ Delete: { TableName: this.tableName, Key: { word, timestampId: image.timestampId } } }));
  }

  /** The images labelled with `word` (in one group, or anywhere), newest first. */
  async search(word: string, groupId: string | undefined, limit: number, startKey: PageKey | undefined) {
    const inGroup = groupId !== undefined;
    const { Items = [], LastEvaluatedKey } = await this.dynamoDb
      .send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: inGroup ? LABELS_BY_GROUP_WORD_INDEX : undefined,
          KeyConditionExpression: inGroup ? 'groupWord = :key' : 'word = :key',
          ExpressionAttributeValues: { ':key': inGroup ? `${groupId}#${word}` : word },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      )
      .catch(rethrowDependencyFailure('DynamoDB'));
    const keys: ImageKey[] = Items.map((item) => ({ groupId: item.groupId as string, timestampId: item.timestampId as string }));
    return { keys, lastKey: LastEvaluatedKey as PageKey | undefined };
  }
}
