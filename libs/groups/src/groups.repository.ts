import { rethrowDependencyFailure } from '@app/aws';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { PageKey } from '@app/pagination';
import type { Group } from './group.js';
import { groupsConfig, type GroupsConfig } from './groups.config.js';
import { GROUP_LISTING, GROUPS_BY_TIMESTAMP_INDEX } from './groups.table.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A stored group: the API's fields plus the listing key and the number of images it holds. */
interface GroupRecord extends Group {
  listing: typeof GROUP_LISTING;
  imageCount?: number;
}

export const GROUP_PAGE_KEY_ATTRIBUTES = ['id', 'listing', 'timestamp'] as const;

@Injectable()
export class GroupsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(groupsConfig.KEY) config: GroupsConfig,
  ) {
    this.tableName = config.tableName;
  }

  async create(group: Group): Promise<void> {
    const record: GroupRecord = { ...group, listing: GROUP_LISTING, imageCount: 0 };
    await this.dynamoDb
      .send(new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(id)' }))
      .catch(unavailable);
  }

  async findById(id: string): Promise<Group | undefined> {
    const { Item } = await this.dynamoDb
      .send(new GetCommand({ TableName: this.tableName, Key: { id } }))
      .catch(unavailable);
    return Item === undefined ? undefined : toGroup(Item as GroupRecord);
  }

  async listNewestFirst(limit: number, startKey: PageKey | undefined) {
    const { Items = [], LastEvaluatedKey } = await this.dynamoDb
      .send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GROUPS_BY_TIMESTAMP_INDEX,
        KeyConditionExpression: 'listing = :listing',
        ExpressionAttributeValues: { ':listing': GROUP_LISTING },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
      )
      .catch(unavailable);
    return { groups: Items.map((item) => toGroup(item as GroupRecord)), lastKey: LastEvaluatedKey as PageKey | undefined };
  }

  /** Deletes the group if it still holds no image; false when it does (the condition decides, so no race). */
  async deleteIfEmpty(id: string): Promise<boolean> {
    try {
      await this.dynamoDb.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(imageCount) OR imageCount = :zero)',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      return unavailable(error);
    }
  }

  /**
   * A transaction item that adds `delta` to the group's image count and fails when the group is gone, so an
   * image is never created in (or counted against) a deleted group.
   */
  imageCountChange(groupId: string, delta: 1 | -1): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { id: groupId },
        UpdateExpression: 'ADD imageCount :delta',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':delta': delta },
      },
    };
  }

}

function toGroup({ id, userId, name, description, timestamp }: GroupRecord): Group {
  return { id, userId, name, description, timestamp };
}
