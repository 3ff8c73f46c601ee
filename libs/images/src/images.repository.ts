import { failedConditions, rethrowDependencyFailure, ThrottleSafeDynamoDb } from '@app/aws';
import { NotFoundError } from '@app/errors';
import { groupImageShards, groupOfImageShard, GroupsService } from '@app/groups';
import { newestFirstAcrossShards, type PageKey } from '@app/pagination';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { imageItem, imageItemKey, type ImageItemKey } from './image-key.js';
import type { ImageRecord } from './image.js';
import { ImageLabelsRepository, type ImageKey } from './image-labels.repository.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';
import { IMAGES_BY_ID_INDEX, IMAGES_BY_UNFINISHED_STATUS_INDEX } from './images.table.js';

export const IMAGE_PAGE_KEY_ATTRIBUTES = ['groupId', 'timestampId'] as const;

const unavailable = rethrowDependencyFailure('DynamoDB');

@Injectable()
export class ImagesRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(imagesConfig.KEY) config: ImagesConfig,
    private readonly groups: GroupsService,
    private readonly labels: ImageLabelsRepository,
    private readonly throttleSafe: ThrottleSafeDynamoDb,
  ) {
    this.tableName = config.tableName;
  }

  /**
   * Stores the image in one transaction with a check that its group exists and is not being deleted: no image in
   * a deleted group. The check writes nothing, so a busy group's uploads do not queue on one counter item.
   */
  async create(image: ImageRecord): Promise<void> {
    await this.throttleSafe
      .transactWrite(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: imageItem(image),
                ConditionExpression: 'attribute_not_exists(groupId)',
              },
            },
            this.groups.imageJoinCheck(image.groupId),
          ],
        }),
      )
      .catch((error: unknown) => {
        if (groupConditionFailed(error))
          throw new NotFoundError(`Group ${image.groupId} does not exist`, { cause: error });
        return unavailable(error);
      });
  }

  /** The index gives the image's key (KEYS_ONLY), the table the image itself. */
  async findById(imageId: string): Promise<ImageRecord | undefined> {
    const { Items = [] } = await this.throttleSafe.query(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: IMAGES_BY_ID_INDEX,
        KeyConditionExpression: 'imageId = :imageId',
        ExpressionAttributeValues: { ':imageId': imageId },
        Limit: 1,
      }),
    );
    const key = Items[0] as ImageItemKey | undefined;
    if (key === undefined) return undefined;
    const { Item } = await this.throttleSafe.get(
      new GetCommand({ TableName: this.tableName, Key: { groupShard: key.groupShard, timestampId: key.timestampId } }),
    );
    return Item as ImageRecord | undefined;
  }

  /**
   * A group's images newest first, merged over its write shards (GROUP_IMAGE_SHARDS). The page ends at the last
   * image returned; the next page starts strictly below its position in every shard (`before`).
   */
  async listByGroupNewestFirst(groupId: string, limit: number, before: string | undefined) {
    const { items, nextBefore } = await newestFirstAcrossShards<ImageRecord>(
      {
        shards: groupImageShards(groupId),
        sortKeyOf: (image) => image.timestampId,
        query: async (groupShard, shardLimit, below) => {
          // One query per shard: each through the throttle-safe path, as one refused retry would fail the whole page.
          const { Items = [], LastEvaluatedKey } = await this.throttleSafe.query(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression:
                below === undefined ? 'groupShard = :groupShard' : 'groupShard = :groupShard AND timestampId < :below',
              ExpressionAttributeValues: {
                ':groupShard': groupShard,
                ...(below === undefined ? {} : { ':below': below }),
              },
              ScanIndexForward: false,
              Limit: shardLimit,
            }),
          );
          return { items: Items as ImageRecord[], more: LastEvaluatedKey !== undefined };
        },
      },
      limit,
      before,
    );
    return { images: items, last: nextBefore };
  }

  /** How many images of one shard have that work left (counted on the sparse index, not a scan). */
  async countUnfinished(marker: string): Promise<number> {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Count = 0, LastEvaluatedKey } = await this.dynamoDb
        .send(new QueryCommand({ ...this.unfinished(marker), Select: 'COUNT', ExclusiveStartKey: startKey }))
        .catch(unavailable);
      total += Count;
      startKey = LastEvaluatedKey;
    } while (startKey !== undefined);
    return total;
  }

  /** Keys of the images of one shard with that work left, oldest first. */
  async listUnfinished(marker: string, limit: number, startKey: PageKey | undefined) {
    const { Items = [], LastEvaluatedKey } = await this.dynamoDb
      .send(new QueryCommand({ ...this.unfinished(marker), Limit: limit, ExclusiveStartKey: startKey }))
      .catch(unavailable);
    // The index holds keys only: the group is the partition's prefix.
    const keys: ImageKey[] = Items.map((item) => ({
      groupId: groupOfImageShard(item.groupShard as string),
      timestampId: item.timestampId as string,
    }));
    return { keys, lastKey: LastEvaluatedKey as PageKey | undefined };
  }

  private unfinished(marker: string) {
    return {
      TableName: this.tableName,
      IndexName: IMAGES_BY_UNFINISHED_STATUS_INDEX,
      KeyConditionExpression: 'unfinishedStatus = :marker',
      ExpressionAttributeValues: { ':marker': marker },
    };
  }

  /** The images at these keys, in the same order; keys whose image is gone are skipped. */
  async findByKeys(keys: readonly ImageKey[]): Promise<ImageRecord[]> {
    if (keys.length === 0) return [];
    const { Responses = {} } = await this.throttleSafe.batchGet(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys.map(imageItemKey) } } }),
    );
    const found = new Map(
      (Responses[this.tableName] ?? []).map((item) => [item.timestampId as string, item as ImageRecord]),
    );
    return keys.flatMap((key) => found.get(key.timestampId) ?? []);
  }

  /** Removes the image and its label entries; a second delete of the same image is a NotFoundError. */
  async delete(image: ImageRecord): Promise<void> {
    await this.throttleSafe
      .transactWrite(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: imageItemKey(image),
                ConditionExpression: 'attribute_exists(groupId)',
              },
            },
            ...this.labels.deletes(image, image.labelWords ?? []),
          ],
        }),
      )
      .catch((error: unknown) => {
        // Only the image's existence is a condition: its failing means the image is gone.
        if (failedConditions(error) !== undefined) {
          throw new NotFoundError(`Image ${image.imageId} does not exist`, { cause: error });
        }
        return unavailable(error);
      });
  }
}

/** The group update is the transaction's second item. */
function groupConditionFailed(error: unknown): boolean {
  return failedConditions(error)?.includes(1) === true;
}
