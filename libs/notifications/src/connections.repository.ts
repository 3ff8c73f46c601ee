import { rethrowDependencyFailure } from '@app/aws';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { CONNECTION_EXPIRY_ATTRIBUTE } from './connections.table.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';

const unavailable = rethrowDependencyFailure('DynamoDB');

/** API Gateway closes every WebSocket connection after 2 hours at most: a row older than that is garbage. */
const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

interface ConnectionRecord {
  connectionId: string;
  connectedAt: string;
  [CONNECTION_EXPIRY_ATTRIBUTE]: number;
}

/** The open WebSocket connections, one row each, written by the $connect and $disconnect handlers. */
@Injectable()
export class ConnectionsRepository {
  private readonly tableName: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(notificationsConfig.KEY) config: NotificationsConfig,
  ) {
    this.tableName = config.connectionsTableName;
  }

  async add(connectionId: string): Promise<void> {
    const now = Date.now();
    const record: ConnectionRecord = {
      connectionId,
      connectedAt: new Date(now).toISOString(),
      [CONNECTION_EXPIRY_ATTRIBUTE]: epochSeconds(now) + CONNECTION_LIFETIME_SECONDS,
    };
    await this.dynamoDb.send(new PutCommand({ TableName: this.tableName, Item: record })).catch(unavailable);
  }

  async remove(connectionId: string): Promise<void> {
    await this.dynamoDb.send(new DeleteCommand({ TableName: this.tableName, Key: { connectionId } })).catch(unavailable);
  }

  /**
   * Every connection not yet expired. A Scan is the right read here: the table holds nothing but connections, so it
   * reads no row it does not need, and a broadcast runs in the pipeline, off any request path. Expired rows are
   * filtered out because TTL deletion lags, sometimes by days.
   */
  async listAll(): Promise<string[]> {
    const connectionIds: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.dynamoDb
        .send(
          new ScanCommand({
            TableName: this.tableName,
            ProjectionExpression: 'connectionId',
            FilterExpression: '#expiresAt > :now',
            ExpressionAttributeNames: { '#expiresAt': CONNECTION_EXPIRY_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': epochSeconds(Date.now()) },
            ExclusiveStartKey: startKey,
          }),
        )
        .catch(unavailable);
      connectionIds.push(...Items.map((item) => (item as Pick<ConnectionRecord, 'connectionId'>).connectionId));
      startKey = LastEvaluatedKey;
    } while (startKey !== undefined);
    return connectionIds;
  }
}

function epochSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
