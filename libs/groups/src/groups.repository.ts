import { rethrowDependencyFailure } from '@app/aws';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { newestFirstAcrossShards, shardOf } from '@app/pagination';
import { groupImageShards } from './group-image-shards.js';
import type { Group } from './group.js';
import { groupsConfig, type GroupsConfig } from './groups.config.js';
import { GROUP_LISTING_SHARDS, GROUPS_BY_LISTING_SHARD_INDEX, groupListingShard } from './groups.table.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A stored group: the API's fields, its listing shard and position, and — while a delete checks that it is
 * empty — the time that delete began (`deletingSince`), which stops new images for a while.
 */
interface GroupRecord extends Group {
  listingShard: string;
  listingSort: string;
  deletingSince?: string;
}

/** How long a delete's mark holds new images off: longer than a delete takes, short if its Lambda died midway. */
export const DELETE_MARK_TTL_MS = 30_000;

/** Where a page of the groups listing ends: the last group's timestamp and id (its position, `listingSort`). */
export interface GroupPosition {
  id: string;
  timestamp: string;
}

@Injectable()
export class GroupsRepository {
  private readonly tableName: string;
  private readonly imagesTableName: string;
  private readonly shards = Array.from({ length: GROUP_LISTING_SHARDS }, (_, shard) => groupListingShard(shard));

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(groupsConfig.KEY) config: GroupsConfig,
  ) {
    this.tableName = config.tableName;
    this.imagesTableName = config.imagesTableName;
  }

  async create(group: Group): Promise<void> {
    const record: GroupRecord = {
      ...group,
      listingShard: groupListingShard(shardOf(group.id, GROUP_LISTING_SHARDS)),
      listingSort: `${group.timestamp}#${group.id}`,
    };
    await this.dynamoDb
      .send(
        new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(id)' }),
      )
      .catch(unavailable);
  }

  async findById(id: string): Promise<Group | undefined> {
    const { Item } = await this.dynamoDb
      .send(new GetCommand({ TableName: this.tableName, Key: { id } }))
      .catch(unavailable);
    return Item === undefined ? undefined : toGroup(Item as GroupRecord);
  }

  /** All groups newest first, merged across the listing's shards; `after` is where the previous page ended. */
  async listNewestFirst(
    limit: number,
    after: GroupPosition | undefined,
  ): Promise<{ groups: Group[]; last: GroupPosition | undefined }> {
    const { items, nextBefore } = await newestFirstAcrossShards<GroupRecord>(
      {
        shards: this.shards,
        sortKeyOf: (group) => group.listingSort,
        query: async (shard, shardLimit, before) => {
          const { Items = [], LastEvaluatedKey } = await this.dynamoDb
            .send(
              new QueryCommand({
                TableName: this.tableName,
                IndexName: GROUPS_BY_LISTING_SHARD_INDEX,
                KeyConditionExpression:
                  before === undefined ? 'listingShard = :shard' : 'listingShard = :shard AND listingSort < :before',
                ExpressionAttributeValues: { ':shard': shard, ...(before === undefined ? {} : { ':before': before }) },
                ScanIndexForward: false,
                Limit: shardLimit,
              }),
            )
            .catch(unavailable);
          return { items: Items as GroupRecord[], more: LastEvaluatedKey !== undefined };
        },
      },
      limit,
      after === undefined ? undefined : `${after.timestamp}#${after.id}`,
    );
    const groups = items.map(toGroup);
    const lastGroup = groups[groups.length - 1];
    return {
      groups,
      last:
        nextBefore === undefined || lastGroup === undefined
          ? undefined
          : { id: lastGroup.id, timestamp: lastGroup.timestamp },
    };
  }

  /**
   * Marks the group as being deleted, so that no new image may join it (imageJoinCheck fails from now on); the
   * mark, or undefined if the group is gone. Images that joined before the mark are seen by holdsImages (a
   * consistent read) and any later one is refused, so no image is ever left in a deleted group.
   */
  async markDeleting(id: string): Promise<string | undefined> {
    const mark = new Date().toISOString();
    try {
      await this.dynamoDb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET deletingSince = :mark',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':mark': mark },
        }),
      );
      return mark;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      return unavailable(error);
    }
  }

  /** Whether any image is stored in the group: strongly consistent reads of the group's image shards. */
  async holdsImages(id: string): Promise<boolean> {
    const found = await Promise.all(
      groupImageShards(id).map((groupShard) =>
        this.dynamoDb
          .send(
            new QueryCommand({
              TableName: this.imagesTableName,
              KeyConditionExpression: 'groupShard = :groupShard',
              ExpressionAttributeValues: { ':groupShard': groupShard },
              ProjectionExpression: 'groupShard',
              ConsistentRead: true,
              Limit: 1,
            }),
          )
          .then(({ Items = [] }) => Items.length > 0)
          .catch(unavailable),
      ),
    );
    return found.some(Boolean);
  }

  /** Lifts the mark after a delete found the group not empty. */
  async unmarkDeleting(id: string, mark: string): Promise<void> {
    await this.dynamoDb
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'REMOVE deletingSince',
          ConditionExpression: 'deletingSince = :mark',
          ExpressionAttributeValues: { ':mark': mark },
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return;
        return unavailable(error);
      });
  }

  /** Deletes the group while this delete's mark still holds new images off; false if it no longer does. */
  async deleteMarked(id: string, mark: string): Promise<boolean> {
    try {
      await this.dynamoDb.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ConditionExpression: 'deletingSince = :mark AND deletingSince >= :staleMark',
          ExpressionAttributeValues: {
            ':mark': mark,
            ':staleMark': new Date(Date.now() - DELETE_MARK_TTL_MS).toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      return unavailable(error);
    }
  }

  /**
   * A transaction item (a condition check, no write) that fails when the group is gone or a delete of it is
   * under way, so an image is never created in a deleted group. It writes nothing to the group, so busy groups'
   * uploads do not contend for one counter item.
   */
  imageJoinCheck(groupId: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: { id: groupId },
        ConditionExpression:
          'attribute_exists(id) AND (attribute_not_exists(deletingSince) OR deletingSince < :staleMark)',
        ExpressionAttributeValues: { ':staleMark': new Date(Date.now() - DELETE_MARK_TTL_MS).toISOString() },
      },
    };
  }
}

function toGroup({ id, userId, name, description, timestamp }: Group): Group {
  return { id, userId, name, description, timestamp };
}
