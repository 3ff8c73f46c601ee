import { ServiceUnavailableError } from '@app/errors';
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { Inject, Injectable } from '@nestjs/common';
import { pipelineQueuesConfig, type PipelineQueuesConfig } from './pipeline-queues.config.js';
import { SQS_CLIENT } from './pipeline-queues.constants.js';

/** A request to classify an image; a re-classification carries the token it claimed the image with. */
export interface ClassificationRequest {
  imageId: string;
  claimToken?: string;
}

/** SendMessageBatch takes 10 entries; 8 batches in flight keep one process well inside SQS's per-queue rate. */
const BATCH_SIZE = 10;
const BATCHES_IN_FLIGHT = 8;
const ATTEMPTS = 3;

/** Sends work to the pipeline's queues, in batches, in parallel; entries SQS refuses are sent again. */
@Injectable()
export class PipelineQueues {
  constructor(
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
    @Inject(pipelineQueuesConfig.KEY) private readonly config: PipelineQueuesConfig,
  ) {}

  requestClassification(requests: readonly ClassificationRequest[]): Promise<void> {
    return this.send(this.config.classificationQueueUrl, 'CLASSIFICATION_QUEUE_URL', requests);
  }

  requestThumbnails(imageIds: readonly string[]): Promise<void> {
    return this.send(
      this.config.thumbnailQueueUrl,
      'THUMBNAIL_QUEUE_URL',
      imageIds.map((imageId) => ({ imageId })),
    );
  }

  private async send(queueUrl: string | undefined, variable: string, bodies: readonly object[]): Promise<void> {
    if (bodies.length === 0) return;
    if (queueUrl === undefined) throw new ServiceUnavailableError(`The pipeline queue is not configured (${variable})`);
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let start = 0; start < bodies.length; start += BATCH_SIZE) {
      batches.push(
        bodies
          .slice(start, start + BATCH_SIZE)
          .map((body, index) => ({ Id: String(index), MessageBody: JSON.stringify(body) })),
      );
    }
    let next = 0;
    const sendNext = async (): Promise<void> => {
      while (next < batches.length) await this.sendBatch(queueUrl, batches[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, sendNext));
  }

  private async sendBatch(queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt++) {
      try {
        const { Failed = [] } = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
        );
        const failed = new Set(Failed.map((failure) => failure.Id));
        pending = pending.filter((entry) => failed.has(entry.Id));
      } catch (error) {
        if (attempt === ATTEMPTS)
          throw new ServiceUnavailableError('The pipeline queue is unavailable', { cause: error });
      }
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
    if (pending.length > 0)
      throw new ServiceUnavailableError(`The pipeline queue refused ${pending.length} request(s)`);
  }
}
