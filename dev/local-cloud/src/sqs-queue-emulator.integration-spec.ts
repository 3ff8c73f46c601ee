import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCredentials } from './local-account.js';
import { startSqsEmulator, type SqsEmulator } from './sqs-queue-emulator.js';

// Each case states the behaviour AWS documents (SQS Developer Guide: visibility timeout, dead-letter queues,
// long polling, batch actions; API reference of each action) and checks it through the real SDK client.
describe('startSqsEmulator', () => {
  let emulator: SqsEmulator;
  let sqs: SQSClient;
  let work: string;
  let deadLetters: string;

  beforeEach(async () => {
    emulator = await startSqsEmulator({
      queues: [
        { name: 'work-dead-letters' },
        {
          name: 'work',
          visibilityTimeoutSeconds: 1,
          deadLetter: { queueName: 'work-dead-letters', maxReceiveCount: 2 },
        },
      ],
    });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: localCredentials });
    work = emulator.queueUrl('work');
    deadLetters = emulator.queueUrl('work-dead-letters');
  });

  afterEach(async () => {
    sqs.destroy();
    await emulator.stop();
  });

  const receive = async (
    queueUrl: string,
    extra: { MaxNumberOfMessages?: number; WaitTimeSeconds?: number; VisibilityTimeout?: number } = {},
  ) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
          ...extra,
        }),
      )
    ).Messages ?? [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('hides a received message for the visibility timeout, then delivers it again with ApproximateReceiveCount 2', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'a' }));

    const [first] = await receive(work);
    const whileHidden = await receive(work);
    await sleep(1_100);
    const [again] = await receive(work);

    expect(first!.Attributes!.ApproximateReceiveCount).toBe('1');
    expect(whileHidden).toEqual([]);
    expect(again).toMatchObject({
      MessageId: first!.MessageId,
      Body: 'a',
      Attributes: { ApproximateReceiveCount: '2' },
    });
    expect(again!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
  });

  it('never delivers a deleted message again', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'a' }));
    const [message] = await receive(work);

    await sqs.send(new DeleteMessageCommand({ QueueUrl: work, ReceiptHandle: message!.ReceiptHandle }));
    await sleep(1_100);

    await expect(receive(work)).resolves.toEqual([]);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount deliveries, body and id kept', async () => {
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'poison' }));

    const deliveries = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      deliveries.push(...(await receive(work)));
      await sleep(1_100);
    }

    expect(deliveries.map((message) => message.Attributes!.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(await receive(deadLetters)).toEqual([expect.objectContaining({ MessageId, Body: 'poison' })]);
  });

  it('receives up to 10 at once and sends and deletes in batches of up to 10, refusing 11', async () => {
    const entries = Array.from({ length: 10 }, (_, index) => ({ Id: `m${index}`, MessageBody: `body ${index}` }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: work, Entries: entries }));

    const received = await receive(work, { MaxNumberOfMessages: 4 });
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: work,
        Entries: received.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    const rest = await receive(work);

    expect(sent.Successful).toHaveLength(10);
    expect(received.map((message) => message.Body)).toEqual(['body 0', 'body 1', 'body 2', 'body 3']);
    expect(rest).toHaveLength(6);
    await expect(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: work, Entries: [...entries, { Id: 'm10', MessageBody: 'x' }] })),
    ).rejects.toThrow('Maximum number of entries per request are 10.');
    await expect(receive(work, { MaxNumberOfMessages: 11 })).rejects.toThrow('Must be between 1 and 10');
  });

  it('answers a long poll as soon as a message arrives, and an empty one after WaitTimeSeconds', async () => {
    const startedAt = Date.now();
    const polling = receive(work, { WaitTimeSeconds: 5 });
    await sleep(200);
    await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'late' }));
    const [message] = await polling;
    const answeredAfter = Date.now() - startedAt;

    const emptyStartedAt = Date.now();
    const empty = await receive(deadLetters, { WaitTimeSeconds: 1 });

    expect(message!.Body).toBe('late');
    expect(answeredAfter).toBeLessThan(2_000);
    expect(empty).toEqual([]);
    expect(Date.now() - emptyStartedAt).toBeGreaterThanOrEqual(900);
  });

  it('makes a message visible again at once with ChangeMessageVisibility 0', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'a' }));
    const [message] = await receive(work, { VisibilityTimeout: 60 });

    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: work,
        ReceiptHandle: message!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );

    await expect(receive(work)).resolves.toEqual([expect.objectContaining({ Body: 'a' })]);
  });

  it('counts visible and in-flight messages and names its redrive policy', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: work,
        Entries: [
          { Id: '1', MessageBody: 'a' },
          { Id: '2', MessageBody: 'b' },
        ],
      }),
    );
    await receive(work, { MaxNumberOfMessages: 1 });

    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['All'] }));

    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: emulator.queueArn('work-dead-letters'),
        maxReceiveCount: 2,
      }),
    });
  });

  it('redrives dead letters back to their source queue with StartMessageMoveTask, as new messages', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'poison' }));
    for (let attempt = 0; attempt < 3; attempt++) {
      await receive(work);
      await sleep(1_100);
    }

    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: emulator.queueArn('work-dead-letters') }),
    );
    const { Results } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: emulator.queueArn('work-dead-letters') }),
    );

    expect(Results).toEqual([
      expect.objectContaining({ TaskHandle, Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1 }),
    ]);
    await expect(receive(work)).resolves.toEqual([
      expect.objectContaining({
        Body: 'poison',
        Attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      }),
    ]);
    await expect(receive(deadLetters)).resolves.toEqual([]);
  });

  it('refuses a queue it does not have, and a move task from a queue that is no dead-letter queue', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${emulator.endpoint}/000000000000/other`, MessageBody: 'x' })),
    ).rejects.toThrow('The specified queue does not exist.');
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: emulator.queueArn('work') }))).rejects.toThrow(
      'Source queue must be configured as a Dead Letter Queue.',
    );
  });
});
