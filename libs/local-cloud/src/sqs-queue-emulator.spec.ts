import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSqsQueueEmulator, type SqsQueueEmulator } from './sqs-queue-emulator.js';

describe('startSqsQueueEmulator', () => {
  const savedEnvironment = { ...process.env };
  let queue: SqsQueueEmulator;
  let sqs: SQSClient;

  beforeEach(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    queue = await startSqsQueueEmulator('dead-letters');
    sqs = new SQSClient({ region: 'us-east-1', endpoint: queue.endpoint });
  });

  afterEach(async () => {
    sqs.destroy();
    await queue.stop();
    process.env = { ...savedEnvironment };
  });

  it('keeps what the real SQS client sends and hands it back', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: '{"imageId":"i1"}' }));

    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));

    expect(received.Messages?.map((message) => message.Body)).toEqual(['{"imageId":"i1"}']);
    expect(queue.messages()).toEqual([{ messageId: sent.MessageId, body: '{"imageId":"i1"}', sentAt: expect.any(String) }]);
  });

  it('refuses another queue, as SQS does', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${queue.endpoint}/000000000000/other`, MessageBody: 'x' })),
    ).rejects.toThrow('The specified queue does not exist.');
  });
});
