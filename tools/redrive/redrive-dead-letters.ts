import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { setTimeout as delay } from 'node:timers/promises';

export interface RedriveResult {
  queueUrl: string;
  moved: number;
}

/**
 * Moves every message of a dead-letter queue back to the queue it came from, with SQS's own redrive
 * (StartMessageMoveTask, as the console's "Start DLQ redrive" does), and waits for the task to finish.
 * An empty queue is a no-op.
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
  pollMs = 1000,
): Promise<RedriveResult> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: deadLetterQueueUrl,
      AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
    }),
  );
  const sourceArn = Attributes.QueueArn;
  if (sourceArn === undefined) throw new Error(`${deadLetterQueueUrl} has no QueueArn`);
  if (Number(Attributes.ApproximateNumberOfMessages ?? 0) === 0) return { queueUrl: deadLetterQueueUrl, moved: 0 };
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn }));
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    const task = Results.find((result) => result.TaskHandle === TaskHandle) ?? Results[0];
    if (task?.Status === 'COMPLETED')
      return { queueUrl: deadLetterQueueUrl, moved: Number(task.ApproximateNumberOfMessagesMoved ?? 0) };
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED') {
      throw new Error(`Redrive of ${deadLetterQueueUrl} ${task.Status}: ${task.FailureReason ?? 'no reason given'}`);
    }
    await delay(pollMs);
  }
}
