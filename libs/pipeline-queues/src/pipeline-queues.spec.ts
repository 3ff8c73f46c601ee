import { ServiceUnavailableError } from '@app/errors';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineQueuesConfig } from './pipeline-queues.config.js';
import { PipelineQueues } from './pipeline-queues.js';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/udagram-dev-classification';

describe('PipelineQueues', () => {
  const sqs = mockClient(SQSClient);
  const queues = (config: Partial<PipelineQueuesConfig> = {}) =>
    new PipelineQueues(new SQSClient({ region: 'eu-west-1' }), {
      classificationQueueUrl: QUEUE,
      thumbnailQueueUrl: QUEUE,
      ...config,
    } as PipelineQueuesConfig);

  beforeEach(() => {
    sqs.reset();
  });

  it('sends 25 requests as 3 batches of at most 10, each body the request itself', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const requests = Array.from({ length: 25 }, (_, index) => ({ imageId: `image-${index}` }));

    await queues().requestClassification(requests);

    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => batch.Entries!.length)).toEqual([10, 10, 5]);
    expect(batches.flatMap((batch) => batch.Entries!.map((entry) => JSON.parse(entry.MessageBody!)))).toEqual(requests);
    expect(batches.every((batch) => batch.QueueUrl === QUEUE)).toBe(true);
  });

  it('sends again only the entries SQS refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });

    await queues().requestThumbnails(['a', 'b']);

    const batches = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody));
    expect(batches).toEqual([['{"imageId":"a"}', '{"imageId":"b"}'], ['{"imageId":"b"}']]);
  });

  it('answers 503 (ServiceUnavailableError) when SQS keeps failing, or when no queue is configured', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('socket hang up'));

    await expect(queues().requestClassification([{ imageId: 'a' }])).rejects.toThrow(ServiceUnavailableError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
    await expect(
      queues({ classificationQueueUrl: undefined }).requestClassification([{ imageId: 'a' }]),
    ).rejects.toThrow('The pipeline queue is not configured (CLASSIFICATION_QUEUE_URL)');
  });

  it('sends nothing for no requests', async () => {
    await queues({ classificationQueueUrl: undefined }).requestClassification([]);

    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
