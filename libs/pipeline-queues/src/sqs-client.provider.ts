import { awsConfig, type AwsConfig } from '@app/aws';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FactoryProvider } from '@nestjs/common';
import { pipelineQueuesConfig, type PipelineQueuesConfig } from './pipeline-queues.config.js';
import { SQS_CLIENT } from './pipeline-queues.constants.js';

/** The pipeline queues' client (the API's and the backfill's sends); this module is its only user. */
export const sqsClientProvider: FactoryProvider<SQSClient> = {
  provide: SQS_CLIENT,
  inject: [awsConfig.KEY, pipelineQueuesConfig.KEY],
  useFactory: (aws: AwsConfig, queues: PipelineQueuesConfig) => new SQSClient({ region: aws.region, endpoint: queues.sqsEndpoint }),
};
