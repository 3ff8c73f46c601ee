import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';
import { SQS_CLIENT } from './labelling.constants.js';

/** An image whose classification could not be completed, kept for people (and re-drives) to look at. */
export interface DeadLetter {
  imageId: string;
  objectKey: string;
  errorType: string;
  reason: string;
  failedAt: string;
}

/** The dead-letter destination: an SQS queue in AWS (and its local stand-in). */
@Injectable()
export class DeadLetterQueue {
  private readonly logger = new Logger(DeadLetterQueue.name);

  constructor(
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
  ) {}

  /** Never throws: the image is already FAILED with its reason, the letter is the second record of it. */
  async send(letter: DeadLetter): Promise<void> {
    if (this.config.deadLetterQueueUrl === undefined) {
      this.logger.error(`No DEAD_LETTER_QUEUE_URL: dead letter for image ${letter.imageId} only logged (${letter.errorType})`);
      return;
    }
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.config.deadLetterQueueUrl, MessageBody: JSON.stringify(letter) }));
    } catch (error) {
      this.logger.error(`Dead letter for image ${letter.imageId} not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
