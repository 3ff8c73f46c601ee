/**
 * The cold-start bench's second reference: the bare baseline's `GET /groups` (the same DynamoDB queries) served by
 * the smallest Nest application that can serve it: one module, one controller, one provider, Nest's Express adapter
 * under the same serverless-express, bundled the same way. No validation, auth, config or logging: the cost of Nest
 * itself, which no change to Udagram's own modules can remove.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import express from 'express';

// The listing's write shards, as in bench/bare-express-lambda.ts.
const LISTING_SHARDS = ['groups#0', 'groups#1', 'groups#2', 'groups#3'];
const DOCUMENT_CLIENT = 'DOCUMENT_CLIENT';

@Controller('groups')
class GroupsController {
  constructor(@Inject(DOCUMENT_CLIENT) private readonly dynamoDb: DynamoDBDocumentClient) {}

  @Get()
  async list(@Query('limit') limitParameter?: string) {
    const limit = Math.min(Number(limitParameter ?? 20), 100);
    const pages = await Promise.all(
      LISTING_SHARDS.map((shard) =>
        this.dynamoDb.send(
          new QueryCommand({
            TableName: process.env.GROUPS_TABLE,
            IndexName: 'byListingShard',
            KeyConditionExpression: 'listingShard = :shard',
            ExpressionAttributeValues: { ':shard': shard },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    const newest = pages
      .flatMap(({ Items = [] }) => Items)
      .sort((a, b) => String(b.listingSort).localeCompare(String(a.listingSort)))
      .slice(0, limit);
    return {
      items: newest.map(({ id, userId, name, description, timestamp }) => ({
        id,
        userId,
        name,
        description,
        timestamp,
      })),
    };
  }
}

@Module({
  controllers: [GroupsController],
  providers: [
    {
      provide: DOCUMENT_CLIENT,
      useFactory: () =>
        DynamoDBDocumentClient.from(
          new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
        ),
    },
  ],
})
class MinimalModule {}

/** serverless-express's handler in its default PROMISE mode (typed as a callback-style Handler). */
type HttpHandler = (event: unknown, context: unknown) => Promise<unknown>;
let booting: Promise<HttpHandler> | undefined;

async function bootstrap(): Promise<HttpHandler> {
  const app = express();
  const nest = await NestFactory.create(MinimalModule, new ExpressAdapter(app), { logger: ['error', 'warn'] });
  await nest.init();
  return serverlessExpress({ app }) as unknown as HttpHandler;
}

export async function handler(event: unknown, context: unknown): Promise<unknown> {
  booting ??= bootstrap();
  return (await booting)(event, context);
}
