import { groupImageShards } from '@app/groups';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { STATUS_CODES } from 'node:http';
import { createTestApp } from '../test-app.js';

/** The one error body of the API, whole. */
export function errorBody(statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode], message };
}

/**
 * Runs `start` with some variables changed, then restores them: configuration is read from the environment when an
 * app or module starts, so what it starts keeps the changed values and other apps of the file are unaffected.
 */
export async function withEnvironment<T>(environment: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    return await start();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A test app (the real AppModule, configured as the servers are) booted with some variables changed. */
export function createTestAppWith(
  environment: Record<string, string>,
  beforeInit?: (app: NestExpressApplication) => void,
): Promise<NestExpressApplication> {
  return withEnvironment(environment, () => createTestApp(beforeInit));
}

/** What is stored, read straight from DynamoDB: a refused request must have written nothing. */
export class StoredRecords {
  private readonly dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
  );

  async groupsOwnedBy(userId: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamoDb.send(
        new ScanCommand({
          TableName: process.env.GROUPS_TABLE,
          FilterExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return count;
  }

  async imagesIn(groupId: string): Promise<number> {
    const counts = await Promise.all(
      groupImageShards(groupId).map(async (groupShard) => {
        const { Count = 0 } = await this.dynamoDb.send(
          new QueryCommand({
            TableName: process.env.IMAGES_TABLE,
            KeyConditionExpression: 'groupShard = :groupShard',
            ExpressionAttributeValues: { ':groupShard': groupShard },
            Select: 'COUNT',
          }),
        );
        return Count;
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  private readonly s3 = new S3Client({
    region: process.env.AWS_REGION,
    endpoint: process.env.S3_ENDPOINT,
    forcePathStyle: true,
  });

  /** The size of the image's photo in S3, or undefined when none was stored. */
  async photoSizeOf(imageId: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: process.env.IMAGES_BUCKET, Key: `images/${imageId}` }),
      );
      return head.ContentLength;
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  }

  destroy(): void {
    this.dynamoDb.destroy();
    this.s3.destroy();
  }
}
