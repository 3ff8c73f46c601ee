import { ImageStatusStreamHandler } from '@app/notifications';
import { lambdaInvocations, type InvocationContext } from '@app/observability';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { cachedApplicationContext } from './lambda-boot.js';
import { NotifierModule } from './notifier.module.js';

const applicationContext = cachedApplicationContext(NotifierModule, 'notifier');
const invocation = lambdaInvocations('notifier');

/**
 * The images table's stream, filtered by the event source mapping to status changes (serverless.ts): each change
 * goes to the WebSocket connections that watch the image's group. Locally the stream poller calls this with the
 * same records; without a Lambda context there is no deadline.
 */
export async function handler(
  event: DynamoDBStreamEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'> & Partial<InvocationContext>,
): Promise<DynamoDBBatchResponse> {
  const streamHandler = (await applicationContext()).get(ImageStatusStreamHandler);
  const remainingTimeMs = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
  return invocation(context, () => streamHandler.handle(event.Records, remainingTimeMs));
}
