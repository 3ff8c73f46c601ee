import { ThrottleSafeDynamoDb } from '@app/aws';
import { newestFirstAcrossShards, shardOf } from '@app/pagination';
import { QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { ImageRecord } from './image.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { LABEL_WORD_SHARDS, LABELS_BY_GROUP_WORD_INDEX } from './images.table.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Where an image is in the images table. */
export interface ImageKey {
  groupId: string;
  timestampId: string;
}

export const LABEL_PAGE_KEY_ATTRIBUTES = ['word', 'timestampId'] as const;
export const GROUP_LABEL_PAGE_KEY_ATTRIBUTES = ['word', 'timestampId', 'groupWord'] as const;

/** The partition of a word's entry for one image: `<word>#<shard>`, the shard a hash of the image's position. */
export function labelWordShard(word: string, timestampId: string): string {
  return `${word}#${shardOf(timestampId, LABEL_WORD_SHARDS)}`;
}

/**
 * The label index: written only inside the images' own transactions, read by label search. A word's entries are
 * spread over LABEL_WORD_SHARDS partitions and read newest first by merging them; within one group (index
 * byGroupWord) a word is one partition.
 */
@Injectable()
export class ImageLabelsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(imagesConfig.KEY) config: ImagesConfig,
    private readonly throttleSafe: ThrottleSafeDynamoDb,
  ) {
    this.tableName = config.labelsTableName;
  }

  puts(image: Pick<ImageRecord, 'groupId' | 'timestampId' | 'imageId'>, words: readonly string[]): TransactItem[] {
    return words.map((word) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          word: labelWordShard(word, image.timestampId),
          groupWord: `${image.groupId}#${word}`,
          timestampId: image.timestampId,
          groupId: image.groupId,
          imageId: image.imageId,
        },
      },
    }));
  }

  deletes(image: Pick<ImageRecord, 'timestampId'>, words: readonly string[]): TransactItem[] {
    return words.map((word) => ({
      Delete: {
        TableName: this.tableName,
        Key: { word: labelWordShard(word, image.timestampId), timestampId: image.timestampId },
      },
    }));
  }

  /**
   * The images labelled with `word` (in one group, or anywhere), newest first, strictly older than `before` (a
   * timestampId); `last` is where the page ended when more may follow.
   */
  async search(
    word: string,
    groupId: string | undefined,
    limit: number,
    before: string | undefined,
  ): Promise<{ keys: ImageKey[]; last: string | undefined }> {
    const partitions =
      groupId !== undefined
        ? [`${groupId}#${word}`]
        : Array.from({ length: LABEL_WORD_SHARDS }, (_, shard) => `${word}#${shard}`);
    const { items, nextBefore } = await newestFirstAcrossShards<ImageKey>(
      {
        shards: partitions,
        sortKeyOf: (key) => key.timestampId,
        query: async (partition, shardLimit, shardBefore) => {
          const partitionKey = groupId !== undefined ? 'groupWord' : 'word';
          // One query per word shard: each through the throttle-safe path, as one refused retry would fail the page.
          const { Items = [], LastEvaluatedKey } = await this.throttleSafe.query(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: groupId !== undefined ? LABELS_BY_GROUP_WORD_INDEX : undefined,
              KeyConditionExpression:
                shardBefore === undefined
                  ? `${partitionKey} = :key`
                  : `${partitionKey} = :key AND timestampId < :before`,
              ExpressionAttributeValues: {
                ':key': partition,
                ...(shardBefore === undefined ? {} : { ':before': shardBefore }),
              },
              ProjectionExpression: 'groupId, timestampId',
              ScanIndexForward: false,
              Limit: shardLimit,
            }),
          );
          const keys = Items.map((item) => ({
            groupId: item.groupId as string,
            timestampId: item.timestampId as string,
          }));
          return { items: keys, more: LastEvaluatedKey !== undefined };
        },
      },
      limit,
      before,
    );
    return { keys: items, last: nextBefore };
  }
}
