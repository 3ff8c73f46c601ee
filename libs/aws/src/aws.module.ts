import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { dynamoDbDocumentClientProvider, s3ClientProvider } from './aws-clients.providers.js';
import { awsConfig } from './aws.config.js';
import { DYNAMODB_RETRY_TIMING } from './aws.constants.js';
import { systemRetryTiming } from './retry-timing.js';
import { ThrottleSafeDynamoDb } from './throttle-safe-dynamodb.js';

/** One DynamoDB document client and one S3 client for the whole application. */
@Module({
  imports: [ConfigModule.forFeature(awsConfig)],
  providers: [
    dynamoDbDocumentClientProvider,
    s3ClientProvider,
    { provide: DYNAMODB_RETRY_TIMING, useValue: systemRetryTiming },
    ThrottleSafeDynamoDb,
  ],
  exports: [DynamoDBDocumentClient, S3Client, ThrottleSafeDynamoDb, ConfigModule],
})
export class AwsModule implements OnApplicationShutdown {
  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(S3Client) private readonly s3: S3Client,
  ) {}

  onApplicationShutdown(): void {
    this.dynamoDb.destroy();
    this.s3.destroy();
  }
}
