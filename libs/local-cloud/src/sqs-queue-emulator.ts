import { readBody, sendJson as sendJsonBody } from '@app/emulator-http';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from './free-port.js';

/** A message as the queue keeps it. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  sentAt: string;
}

export interface SqsQueueEmulator {
  /** The SQS endpoint, for `new SQSClient({ endpoint })`. */
  endpoint: string;
  /** The one queue's URL (what the application is configured with). */
  queueUrl: string;
  /** Every message sent so far, including those received since (a dead-letter queue is for reading back). */
  messages(): readonly QueuedMessage[];
  stop(): Promise<void>;
}

/**
 * A single SQS queue speaking the part of the SQS JSON protocol a dead-letter queue needs: SendMessage (with the
 * MD5 the SDK checks), ReceiveMessage and GetQueueAttributes (ApproximateNumberOfMessages). In memory; local only.
 */
export async function startSqsQueueEmulator(
  queueName: string,
  onMessage: (message: QueuedMessage) => void = () => undefined,
): Promise<SqsQueueEmulator> {
  const sent: QueuedMessage[] = [];
  let unreceived: QueuedMessage[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => answer(request, body?.toString('utf8') ?? '', response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const endpoint = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  const queueUrl = `${endpoint}/000000000000/${queueName}`;

  function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    let input: { QueueUrl?: string; MessageBody?: string; MaxNumberOfMessages?: number };
    try {
      input = JSON.parse(body || '{}');
    } catch {
      return sendError(response, 400, 'InvalidParameterValue', 'The request body is not JSON');
    }
    if (input.QueueUrl !== queueUrl) return sendError(response, 400, 'QueueDoesNotExist', 'The specified queue does not exist.');
    if (action === 'SendMessage') {
      if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) {
        return sendError(response, 400, 'MissingParameter', 'MessageBody is required');
      }
      const message = { messageId: randomUUID(), body: input.MessageBody, sentAt: new Date().toISOString() };
      sent.push(message);
      unreceived.push(message);
      onMessage(message);
      return sendJson(response, { MessageId: message.messageId, MD5OfMessageBody: md5(message.body) });
    }
    if (action === 'ReceiveMessage') {
      const taken = unreceived.slice(0, Math.min(Math.max(input.MaxNumberOfMessages ?? 1, 1), 10));
      unreceived = unreceived.slice(taken.length);
      return sendJson(response, {
        Messages: taken.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.messageId,
          Body: message.body,
          MD5OfBody: md5(message.body),
        })),
      });
    }
    if (action === 'GetQueueAttributes') {
      return sendJson(response, { Attributes: { ApproximateNumberOfMessages: String(unreceived.length) } });
    }
    return sendError(response, 400, 'UnsupportedOperation', `${action || 'This action'} is not emulated`);
  }

  return {
    endpoint,
    queueUrl,
    messages: () => [...sent],
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
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
  sendJsonBody(response, status, { __type: `com.amazonaws.sqs#${code}`, message }, { ...SQS_JSON, 'x-amzn-query-error': `${code};Sender` });
}
