import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { lambdaBoot } from './lambda-boot.js';

/** API Gateway HTTP API (payload 2.0, what serverless.ts deploys) or REST API (1.0): serverless-express reads both. */
export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;
export type HttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;
type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** One Nest app per execution environment. */
const server = lambdaBoot('udagram-api', async (options): Promise<HttpHandler> => {
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, options));
  // init, never listen: serverless-express hands each event to Express in memory.
  await app.init();
  // Typed as a callback-style Handler; in its default PROMISE mode it returns the response's promise.
  return serverlessExpress({ app: app.getHttpAdapter().getInstance() }) as unknown as HttpHandler;
});

/** The API's Lambda entry point. No Swagger here: the OpenAPI document is made at build time (docs/DEPLOY.md). */
export async function handler(event: HttpEvent, context: Context): Promise<HttpResult> {
  return (await server())(event, context);
}
