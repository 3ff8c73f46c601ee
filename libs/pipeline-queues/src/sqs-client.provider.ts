import { awsConfig, traced, type AwsConfig } from '@app/aws';
import { AWS_CLIENT_CAPTURE, type AwsClientCapture } from '@app/observability';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FactoryProvider } from '@nestjs/common';
import { pipelineQueuesConfig, type PipelineQueuesConfig } from './pipeline-queues.config.js';
import { SQS_CLIENT } from './pipeline-queues.constants.js';

/** The pipeline queues' client (the API's and the backfill's sends); this module is its only user. */
export const sqsClientProvider: FactoryProvider<SQSClient> = {
  provide: SQS_CLIENT,
  inject: [awsConfig.KEY, pipelineQueuesConfig.KEY, { token: AWS_CLIENT_CAPTURE, optional: true }],
  useFactory: (aws: AwsConfig, queues: PipelineQueuesConfig, capture?: AwsClientCapture) =>
    traced(capture, new SQSClient({ region: aws.region, endpoint: queues.sqsEndpoint })),
};
