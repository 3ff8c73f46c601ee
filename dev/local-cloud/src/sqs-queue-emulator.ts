import { readBody, sendJson as sendJsonBody } from './http-messages.js';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from './free-port.js';
import { LOCAL_REGION } from './local-account.js';

const ACCOUNT_ID = '000000000000';
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH = 10;
/** How often a long poll looks again for messages whose visibility timeout ran out (sends wake it at once). */
const LONG_POLL_TICK_MS = 50;

export interface QueueDefinition {
  name: string;
  /** Default 30 s, as SQS. */
  visibilityTimeoutSeconds?: number;
  /** RedrivePolicy: on the receive after `maxReceiveCount` deliveries the message moves to that queue. */
  deadLetter?: { queueName: string; maxReceiveCount: number };
}

/** A message as a queue keeps it (for tests and the launcher's listing). */
export interface QueuedMessage {
  messageId: string;
  body: string;
  sentAt: string;
  receiveCount: number;
}

export interface SqsEmulator {
  /** The SQS endpoint, for `new SQSClient({ endpoint })`. */
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** The messages a queue holds now, visible or in flight, oldest first. */
  messages(name: string): readonly QueuedMessage[];
  stop(): Promise<void>;
}

interface StoredMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

interface Queue {
  definition: QueueDefinition;
  url: string;
  arn: string;
  messages: StoredMessage[];
  visibilityTimeoutSeconds: number;
  wake: Set<() => void>;
}

/**
 * SQS queues speaking the JSON protocol the AWS SDK uses, with the semantics the pipeline relies on (each proved
 * against AWS's documented behaviour in the spec beside this file): a received message is invisible for the
 * visibility timeout and comes back unless deleted; ApproximateReceiveCount counts deliveries; after
 * maxReceiveCount deliveries the next receive moves it to the dead-letter queue; batch send, receive (1–10) and
 * delete; ChangeMessageVisibility; long polling (WaitTimeSeconds ≤ 20); StartMessageMoveTask to redrive dead letters
 * back to their source queue. Standard queues only, in memory; local only.
 */
export async function startSqsEmulator(options: {
  queues: QueueDefinition[];
  onMessage?: (queueName: string, message: QueuedMessage) => void;
}): Promise<SqsEmulator> {
  const queues = new Map<string, Queue>();
  const server = createServer((request, response) => {
    void readBody(request).then((body) => answer(request, body?.toString('utf8') ?? '', response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const endpoint = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  const arnOf = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${ACCOUNT_ID}:${name}`;
  for (const definition of options.queues) {
    queues.set(`${endpoint}/${ACCOUNT_ID}/${definition.name}`, {
      definition,
      url: `${endpoint}/${ACCOUNT_ID}/${definition.name}`,
      arn: arnOf(definition.name),
      messages: [],
      visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds ?? 30,
      wake: new Set(),
    });
  }
  const byName = (name: string) => [...queues.values()].find((queue) => queue.definition.name === name);
  const byArn = (arn: string) => [...queues.values()].find((queue) => queue.arn === arn);
  for (const queue of queues.values()) {
    const deadLetter = queue.definition.deadLetter;
    if (deadLetter !== undefined && byName(deadLetter.queueName) === undefined) {
      throw new Error(`Queue ${queue.definition.name}: no dead-letter queue ${deadLetter.queueName}`);
    }
  }
  let stopped = false;

  function enqueue(queue: Queue, body: string, delaySeconds = 0, messageId: string = randomUUID()): StoredMessage {
    const now = Date.now();
    const message: StoredMessage = {
      messageId,
      body,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
    };
    queue.messages.push(message);
    options.onMessage?.(queue.definition.name, view(message));
    for (const wake of queue.wake) wake();
    return message;
  }

  /** Takes up to `max` visible messages, moving those past maxReceiveCount to the dead-letter queue first. */
  function take(queue: Queue, max: number, visibilityTimeoutSeconds: number): StoredMessage[] {
    const now = Date.now();
    const taken: StoredMessage[] = [];
    for (const message of [...queue.messages]) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      const deadLetter = queue.definition.deadLetter;
      if (deadLetter !== undefined && message.receiveCount >= deadLetter.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        // SQS keeps the message's id and body; its receive count starts again in the dead-letter queue.
        enqueue(byName(deadLetter.queueName)!, message.body, 0, message.messageId);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = `${message.messageId}:${randomUUID()}`;
      taken.push(message);
    }
    return taken;
  }

  async function receive(queue: Queue, input: ReceiveInput): Promise<StoredMessage[]> {
    const max = input.MaxNumberOfMessages ?? 1;
    const visibility = input.VisibilityTimeout ?? queue.visibilityTimeoutSeconds;
    const deadline = Date.now() + (input.WaitTimeSeconds ?? 0) * 1000;
    for (;;) {
      const taken = take(queue, max, visibility);
      if (taken.length > 0 || Date.now() >= deadline || stopped) return taken;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          queue.wake.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(LONG_POLL_TICK_MS, Math.max(0, deadline - Date.now())));
        queue.wake.add(wake);
      });
    }
  }

  function inFlight(queue: Queue, receiptHandle: unknown): StoredMessage | undefined {
    return queue.messages.find((message) => message.receiptHandle === receiptHandle && message.visibleAt > Date.now());
  }

  function remove(queue: Queue, receiptHandle: unknown): void {
    // SQS deletes by the latest receipt handle; an older one of a message received again may no longer delete it.
    const index = queue.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index >= 0) queue.messages.splice(index, 1);
  }

  async function answer(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    let input: Record<string, any>;
    try {
      input = JSON.parse(body || '{}');
    } catch {
      return sendError(response, 400, 'InvalidParameterValue', 'The request body is not JSON');
    }
    if (action === 'GetQueueUrl') {
      const queue = byName(String(input.QueueName));
      if (queue === undefined)
        return sendError(response, 400, 'QueueDoesNotExist', 'The specified queue does not exist.');
      return sendJson(response, { QueueUrl: queue.url });
    }
    if (action === 'StartMessageMoveTask') return moveMessages(input, response);
    if (action === 'ListMessageMoveTasks')
      return sendJson(response, {
        Results: [...moveTasks.values()].filter((task) => task.SourceArn === input.SourceArn),
      });
    const queue = queues.get(String(input.QueueUrl));
    if (queue === undefined)
      return sendError(response, 400, 'QueueDoesNotExist', 'The specified queue does not exist.');

    switch (action) {
      case 'SendMessage': {
        if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) {
          return sendError(response, 400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
        }
        const message = enqueue(queue, input.MessageBody, input.DelaySeconds);
        return sendJson(response, { MessageId: message.messageId, MD5OfMessageBody: md5(message.body) });
      }
      case 'SendMessageBatch': {
        const entries = batchEntries(input, response);
        if (entries === undefined) return;
        const successful = [];
        const failed = [];
        for (const entry of entries) {
          if (typeof entry.MessageBody !== 'string' || entry.MessageBody.length === 0) {
            failed.push({
              Id: entry.Id,
              SenderFault: true,
              Code: 'MissingParameter',
              Message: 'MessageBody is required',
            });
            continue;
          }
          const message = enqueue(queue, entry.MessageBody, entry.DelaySeconds);
          successful.push({ Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: md5(message.body) });
        }
        return sendJson(response, { Successful: successful, Failed: failed });
      }
      case 'ReceiveMessage': {
        const max = input.MaxNumberOfMessages ?? 1;
        if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH) {
          return sendError(
            response,
            400,
            'InvalidParameterValue',
            'Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.',
          );
        }
        const wait = input.WaitTimeSeconds ?? 0;
        if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) {
          return sendError(
            response,
            400,
            'InvalidParameterValue',
            'Value for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20.',
          );
        }
        const messages = await receive(queue, input);
        return sendJson(response, {
          Messages: messages.map((message) => ({
            MessageId: message.messageId,
            ReceiptHandle: message.receiptHandle,
            Body: message.body,
            MD5OfBody: md5(message.body),
            Attributes: {
              ApproximateReceiveCount: String(message.receiveCount),
              SentTimestamp: String(message.sentAt),
              ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
              SenderId: ACCOUNT_ID,
            },
          })),
        });
      }
      case 'DeleteMessage':
        remove(queue, input.ReceiptHandle);
        return sendJson(response, {});
      case 'DeleteMessageBatch': {
        const entries = batchEntries(input, response);
        if (entries === undefined) return;
        for (const entry of entries) remove(queue, entry.ReceiptHandle);
        return sendJson(response, { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] });
      }
      case 'ChangeMessageVisibility': {
        const message = inFlight(queue, input.ReceiptHandle);
        if (message === undefined)
          return sendError(response, 400, 'MessageNotInflight', 'The message is not in flight.');
        message.visibleAt = Date.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
        if (Number(input.VisibilityTimeout ?? 0) === 0) for (const wake of queue.wake) wake();
        return sendJson(response, {});
      }
      case 'GetQueueAttributes': {
        const now = Date.now();
        const deadLetter = queue.definition.deadLetter;
        return sendJson(response, {
          Attributes: {
            QueueArn: queue.arn,
            ApproximateNumberOfMessages: String(queue.messages.filter((message) => message.visibleAt <= now).length),
            ApproximateNumberOfMessagesNotVisible: String(
              queue.messages.filter((message) => message.visibleAt > now).length,
            ),
            VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
            ...(deadLetter === undefined
              ? {}
              : {
                  RedrivePolicy: JSON.stringify({
                    deadLetterTargetArn: arnOf(deadLetter.queueName),
                    maxReceiveCount: deadLetter.maxReceiveCount,
                  }),
                }),
          },
        });
      }
      case 'PurgeQueue':
        queue.messages = [];
        return sendJson(response, {});
      default:
        return sendError(response, 400, 'UnsupportedOperation', `${action || 'This action'} is not emulated`);
    }
  }

  const moveTasks = new Map<string, Record<string, unknown>>();

  /** Redrive: every message of a dead-letter queue back to its source queue (or to DestinationArn), as new. */
  function moveMessages(input: Record<string, any>, response: ServerResponse): void {
    const source = byArn(String(input.SourceArn));
    if (source === undefined)
      return sendError(
        response,
        400,
        'ResourceNotFoundException',
        'The resource that you specified for the SourceArn parameter doesn’t exist.',
      );
    const origins = [...queues.values()].filter(
      (queue) => queue.definition.deadLetter?.queueName === source.definition.name,
    );
    if (origins.length === 0)
      return sendError(
        response,
        400,
        'InvalidParameterValue',
        'Source queue must be configured as a Dead Letter Queue.',
      );
    const destination = input.DestinationArn === undefined ? origins[0] : byArn(String(input.DestinationArn));
    if (destination === undefined)
      return sendError(
        response,
        400,
        'ResourceNotFoundException',
        'The resource that you specified for the DestinationArn parameter doesn’t exist.',
      );
    const now = Date.now();
    const moving = source.messages.filter((message) => message.visibleAt <= now);
    source.messages = source.messages.filter((message) => !moving.includes(message));
    for (const message of moving) enqueue(destination, message.body);
    const taskHandle = randomUUID();
    moveTasks.set(taskHandle, {
      TaskHandle: taskHandle,
      Status: 'COMPLETED',
      SourceArn: source.arn,
      DestinationArn: destination.arn,
      ApproximateNumberOfMessagesMoved: moving.length,
      ApproximateNumberOfMessagesToMove: moving.length,
      StartedTimestamp: now,
    });
    return sendJson(response, { TaskHandle: taskHandle });
  }

  return {
    endpoint,
    queueUrl: (name) => required(byName(name), name).url,
    queueArn: (name) => required(byName(name), name).arn,
    messages: (name) => required(byName(name), name).messages.map(view),
    async stop() {
      stopped = true;
      for (const queue of queues.values()) for (const wake of queue.wake) wake();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

interface ReceiveInput {
  MaxNumberOfMessages?: number;
  WaitTimeSeconds?: number;
  VisibilityTimeout?: number;
}

function batchEntries(input: Record<string, any>, response: ServerResponse): Record<string, any>[] | undefined {
  const entries: unknown = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    sendError(
      response,
      400,
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    );
    return undefined;
  }
  if (entries.length > MAX_BATCH) {
    sendError(response, 400, 'TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
    return undefined;
  }
  if (new Set(entries.map((entry: { Id?: unknown }) => entry.Id)).size !== entries.length) {
    sendError(response, 400, 'BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    return undefined;
  }
  return entries as Record<string, any>[];
}

function required(queue: Queue | undefined, name: string): Queue {
  if (queue === undefined) throw new Error(`No queue ${name}`);
  return queue;
}

function view(message: StoredMessage): QueuedMessage {
  return {
    messageId: message.messageId,
    body: message.body,
    sentAt: new Date(message.sentAt).toISOString(),
    receiveCount: message.receiveCount,
  };
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

const SQS_JSON = { 'Content-Type': 'application/x-amz-json-1.0' };

function sendJson(response: ServerResponse, body: object): void {
  sendJsonBody(response, 200, body, SQS_JSON);
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJsonBody(
    response,
    status,
    { __type: `com.amazonaws.sqs#${code}`, message },
    { ...SQS_JSON, 'x-amzn-query-error': `${code};Sender` },
  );
}
