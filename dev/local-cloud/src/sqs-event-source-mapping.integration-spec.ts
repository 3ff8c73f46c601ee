import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localCredentials } from './local-account.js';
import { startSqsEventSourceMapping, type SqsEventSourceMapping } from './sqs-event-source-mapping.js';
import { startSqsEmulator, type SqsEmulator } from './sqs-queue-emulator.js';

describe('startSqsEventSourceMapping', () => {
  let emulator: SqsEmulator;
  let sqs: SQSClient;
  let mapping: SqsEventSourceMapping | undefined;

  beforeEach(async () => {
    emulator = await startSqsEmulator({
      queues: [
        { name: 'dlq' },
        { name: 'work', visibilityTimeoutSeconds: 1, deadLetter: { queueName: 'dlq', maxReceiveCount: 2 } },
      ],
    });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: localCredentials });
  });

  afterEach(async () => {
    await mapping?.stop();
    sqs.destroy();
    await emulator.stop();
  });

  const start = (handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>, maximumConcurrency = 2) => {
    mapping = startSqsEventSourceMapping({
      functionName: 'worker',
      endpoint: emulator.endpoint,
      queueUrl: emulator.queueUrl('work'),
      queueArn: emulator.queueArn('work'),
      handler,
      batchSize: 10,
      maximumConcurrency,
    });
  };
  const send = (bodies: string[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: emulator.queueUrl('work'),
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );

  it('invokes with Lambda-shaped records, deletes the successes and redelivers only the reported failure', async () => {
    const seen: string[] = [];
    start(async (event) => {
      seen.push(...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`));
      expect(event.Records[0]).toMatchObject({
        eventSource: 'aws:sqs',
        eventSourceARN: emulator.queueArn('work'),
        md5OfBody: expect.any(String),
      });
      return {
        batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({
          itemIdentifier: record.messageId,
        })),
      };
    });

    await send(['good', 'bad', 'fine']);

    await vi.waitFor(() => expect(emulator.messages('dlq').map((message) => message.body)).toEqual(['bad']), {
      timeout: 10_000,
      interval: 100,
    });
    expect(seen.filter((entry) => !entry.startsWith('bad')).sort()).toEqual(['fine#1', 'good#1']);
    expect(seen.filter((entry) => entry.startsWith('bad'))).toEqual(['bad#1', 'bad#2']);
    expect(emulator.messages('work')).toEqual([]);
  });

  it('brings the whole batch back when the handler throws (a crash), and never runs more than the concurrency cap at once', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const deliveries = new Map<string, number>();
    start(async (event) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
      for (const record of event.Records) deliveries.set(record.body, (deliveries.get(record.body) ?? 0) + 1);
      if (event.Records.some((record) => record.body === 'crash' && record.attributes.ApproximateReceiveCount === '1'))
        throw new Error('crash');
    }, 2);

    await send(['crash', ...Array.from({ length: 9 }, (_, index) => `m${index}`)]);
    await send(Array.from({ length: 10 }, (_, index) => `n${index}`));

    await vi.waitFor(() => expect(emulator.messages('work')).toEqual([]), { timeout: 10_000, interval: 100 });
    expect(mostAtOnce).toBeLessThanOrEqual(2);
    expect(deliveries.get('crash')).toBe(2);
    expect(emulator.messages('dlq')).toEqual([]);
  });

  it('treats a response naming a message outside the batch as a failed batch, as Lambda does', async () => {
    let calls = 0;
    start(async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] } : { batchItemFailures: [] };
    });

    await send(['a']);

    await vi.waitFor(() => expect(emulator.messages('work')).toEqual([]), { timeout: 10_000, interval: 100 });
    expect(calls).toBe(2);
  });
});
