import { awsConfig, type AwsConfig } from '@app/aws';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FactoryProvider } from '@nestjs/common';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';
import { SQS_CLIENT } from './labelling.constants.js';

/** The dead-letter queue's client; this module is its only user. */
export const sqsClientProvider: FactoryProvider<SQSClient> = {
  provide: SQS_CLIENT,
  inject: [awsConfig.KEY, labellingConfig.KEY],
  useFactory: (aws: AwsConfig, labelling: LabellingConfig) =>
    new SQSClient({ region: aws.region, endpoint: labelling.sqsEndpoint }),
};
