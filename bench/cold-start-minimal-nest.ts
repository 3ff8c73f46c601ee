/**
 * The cold-start bench's second reference: the bare baseline's `GET /groups` (the same DynamoDB queries) served by
 * the smallest Nest application that can serve it: one module, one controller, one provider, Nest's Express adapter
 * under the same serverless-express, bundled the same way. No validation, auth, config or logging: the cost of Nest
 * itself, which no change to Udagram's own modules can remove.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import express from 'express';
import { newestGroups } from './newest-groups.js';

const DOCUMENT_CLIENT = 'DOCUMENT_CLIENT';

@Controller('groups')
class GroupsController {
  constructor(@Inject(DOCUMENT_CLIENT) private readonly dynamoDb: DynamoDBDocumentClient) {}

  @Get()
  list(@Query('limit') limitParameter?: string) {
    return newestGroups(this.dynamoDb, Math.min(Number(limitParameter ?? 20), 100));
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
