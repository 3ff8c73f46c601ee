import { ImageStatusStreamHandler } from '@app/notifications';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { NotifierModule } from './notifier.module.js';

let contextStarting: Promise<INestApplicationContext> | undefined;

function applicationContext(): Promise<INestApplicationContext> {
  contextStarting ??= NestFactory.createApplicationContext(NotifierModule, {
    logger: ['log', 'warn', 'error'],
    // Throw instead of exiting: the runtime reports the failed start and the batch is retried.
    abortOnError: false,
  }).catch((error: unknown) => {
    contextStarting = undefined;
    throw error;
  });
  return contextStarting;
}

/**
 * The images table's stream, filtered by the event source mapping to status changes (serverless.ts): each change
 * goes to the WebSocket connections that watch the image's group. Locally the stream poller calls this with the
 * same records; without a Lambda context there is no deadline.
 */
export async function handler(event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> {
  const streamHandler = (await applicationContext()).get(ImageStatusStreamHandler);
  return streamHandler.handle(event.Records, () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY);
}
