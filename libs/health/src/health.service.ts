import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { groupsConfig, type GroupsConfig } from '@app/groups';
import { imagesConfig, type ImagesConfig } from '@app/images';
import { Inject, Injectable } from '@nestjs/common';

export type DependencyState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded';
  dependencies: { dynamodb: DependencyState; s3: DependencyState };
}

/** Checks exactly the table and bucket the API uses, so it needs no wider permission than the API itself. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(S3Client) private readonly s3: S3Client,
    @Inject(groupsConfig.KEY) private readonly groups: GroupsConfig,
    @Inject(imagesConfig.KEY) private readonly images: ImagesConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const [dynamodb, s3] = await Promise.all([
      probe(() => this.dynamoDb.send(new DescribeTableCommand({ TableName: this.groups.tableName }))),
      probe(() => this.s3.send(new HeadBucketCommand({ Bucket: this.images.bucket }))),
    ]);
    return { status: dynamodb === 'up' && s3 === 'up' ? 'ok' : 'degraded', dependencies: { dynamodb, s3 } };
  }
}

async function probe(call: () => Promise<unknown>): Promise<DependencyState> {
  try {
    await call();
    return 'up';
  } catch {
    return 'down';
  }
}
