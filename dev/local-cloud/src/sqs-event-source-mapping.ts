import { describeError } from '@app/errors';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { LOCAL_REGION, localCredentials } from './local-account.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsEventSourceMappingOptions {
  /** The function's name, for the context and logs. */
  functionName: string;
  endpoint: string;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  /** BatchSize (1–10 here). */
  batchSize: number;
  /** ScalingConfig.MaximumConcurrency: at most this many invocations at once. */
  maximumConcurrency: number;
  /** MaximumBatchingWindowInSeconds: gather up to batchSize messages for this long (0: invoke with what one poll gets). */
  maximumBatchingWindowSeconds?: number;
  /** The function's timeout, for context.getRemainingTimeInMillis(). */
  timeoutSeconds?: number;
  log?: (line: string) => void;
}

export interface SqsEventSourceMapping {
  /** Invocations so far (each with one batch). */
  invocations(): number;
  /** Stops polling and waits for the invocations in flight. */
  stop(): Promise<void>;
}

/**
 * Lambda's SQS event source mapping, locally: `maximumConcurrency` pollers, each long-polling the queue and invoking
 * the handler with one batch at a time, shaped as Lambda shapes it. With ReportBatchItemFailures semantics: the
 * messages a response names in batchItemFailures stay (they come back after their visibility timeout), the others
 * are deleted; a handler that throws, or a response naming a message that was not in the batch, fails the whole
 * batch (nothing deleted) — as AWS does.
 */
export function startSqsEventSourceMapping(options: SqsEventSourceMappingOptions): SqsEventSourceMapping {
  const sqs = new SQSClient({ region: LOCAL_REGION, endpoint: options.endpoint, credentials: localCredentials });
  const log = options.log ?? (() => undefined);
  const abort = new AbortController();
  let invocations = 0;

  async function poll(): Promise<void> {
    while (!abort.signal.aborted) {
      try {
        const messages = await gather();
        if (messages.length > 0) await invoke(messages);
      } catch (error) {
        if (abort.signal.aborted) return;
        log(`[${options.functionName}] poller: ${describeError(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async function gather(): Promise<Message[]> {
    const windowEnds = Date.now() + (options.maximumBatchingWindowSeconds ?? 0) * 1000;
    const messages: Message[] = [];
    do {
      const waitSeconds = messages.length === 0 ? 20 : Math.max(0, Math.ceil((windowEnds - Date.now()) / 1000));
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: options.batchSize - messages.length,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
        }),
        { abortSignal: abort.signal },
      );
      messages.push(...Messages);
    } while (
      messages.length > 0 &&
      messages.length < options.batchSize &&
      Date.now() < windowEnds &&
      !abort.signal.aborted
    );
    return messages;
  }

  async function invoke(messages: Message[]): Promise<void> {
    invocations += 1;
    const records = messages.map((message) => toRecord(message, options.queueArn));
    let failedIds: Set<string>;
    try {
      const response = await options.handler({ Records: records }, lambdaContext(options));
      const named = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      const batchIds = new Set(records.map((record) => record.messageId));
      failedIds = named.every((id) => batchIds.has(id)) ? new Set(named) : batchIds;
    } catch (error) {
      log(
        `[${options.functionName}] invocation failed, the batch of ${records.length} comes back: ${describeError(error)}`,
      );
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const done = records.filter((record) => !failedIds.has(record.messageId));
    if (done.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
  }

  const pollers = Array.from({ length: options.maximumConcurrency }, () => poll());
  return {
    invocations: () => invocations,
    async stop() {
      abort.abort();
      await Promise.allSettled(pollers);
      sqs.destroy();
    },
  };
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '0',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

function lambdaContext(options: SqsEventSourceMappingOptions): Context {
  const deadline = Date.now() + (options.timeoutSeconds ?? 60) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
