import type { PackagedTemplate } from './pipeline-settings.js';

/**
 * A CloudFormation template in the shape the pipeline's contract fixes (queues, dead-letter queues, the event source
 * mappings osls writes for `sqs` events, the worker and classifier functions and the worker's CLASSIFIER_*
 * environment), with the settings given. It stands in for the packaged stack until the stack declares the queues,
 * and lets tests vary one setting at a time. The values in CONTRACT_FIXTURE_SETTINGS are a worked sizing, not the
 * deployed stack's.
 */
export interface ContractFixtureSettings {
  classification: {
    batchSize: number;
    batchingWindowSeconds: number;
    maximumConcurrency: number;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
  };
  thumbnails: {
    batchSize: number;
    batchingWindowSeconds: number;
    maximumConcurrency: number;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
  };
  classificationWorker: { timeoutSeconds: number; memoryMb: number; reservedConcurrency?: number };
  thumbnailWorker: { timeoutSeconds: number; memoryMb: number; reservedConcurrency?: number };
  classifier: { timeoutSeconds: number; memoryMb: number; reservedConcurrency: number };
  classifierRetry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; attemptTimeoutMs: number };
}

/**
 * A worked sizing at 1,000 uploads/s, by Little's law on the production service times (service-times.ts): a record
 * takes ≈0.2 s in the worker at p50 (two DynamoDB calls, the classifier's ≈0.16 s, the result transaction), but a
 * batch of 10 run in parallel (Powertools' BatchProcessor) holds its invocation until its slowest record, ≈0.4 s.
 * So 1,000/s needs ≈1,000 / 10 × 0.4 = 40 concurrent batches: MaximumConcurrency 50 (25 % headroom; halved it
 * cannot keep up). The classifier is reserved at 50 × 10 = 500, so the mapping can never drive it into throttling.
 * Thumbnails: ≈0.25 s per batch → 25 batches; 40. Visibility timeout = 6 × the worker's timeout (AWS's advice for
 * SQS event sources); maxReceiveCount 5; the window (1 s) fills batches when traffic is low.
 */
export const CONTRACT_FIXTURE_SETTINGS: ContractFixtureSettings = {
  classification: {
    batchSize: 10,
    batchingWindowSeconds: 1,
    maximumConcurrency: 50,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
  },
  thumbnails: {
    batchSize: 10,
    batchingWindowSeconds: 1,
    maximumConcurrency: 40,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
  },
  classificationWorker: { timeoutSeconds: 60, memoryMb: 1024 },
  thumbnailWorker: { timeoutSeconds: 60, memoryMb: 1024 },
  classifier: { timeoutSeconds: 15, memoryMb: 1769, reservedConcurrency: 500 },
  classifierRetry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5000, attemptTimeoutMs: 20000 },
};

export function contractTemplate(settings: ContractFixtureSettings = CONTRACT_FIXTURE_SETTINGS): PackagedTemplate {
  const stage = 'ci';
  const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const queue = (name: string, consumer?: ContractFixtureSettings['classification'], deadLetterQueueId?: string) => ({
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: `udagram-${stage}-${name}`,
      ...(consumer && {
        VisibilityTimeout: consumer.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueueId!), maxReceiveCount: consumer.maxReceiveCount },
      }),
    },
  });
  const lambda = (
    name: string,
    fn: { timeoutSeconds: number; memoryMb: number; reservedConcurrency?: number },
    environment: Record<string, unknown>,
  ) => ({
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: `udagram-${stage}-${name}`,
      Timeout: fn.timeoutSeconds,
      MemorySize: fn.memoryMb,
      Architectures: ['arm64'],
      ...(fn.reservedConcurrency !== undefined && { ReservedConcurrentExecutions: fn.reservedConcurrency }),
      Environment: { Variables: environment },
    },
  });
  const mapping = (queueId: string, functionId: string, consumer: ContractFixtureSettings['classification']) => ({
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      BatchSize: consumer.batchSize,
      MaximumBatchingWindowInSeconds: consumer.batchingWindowSeconds,
      EventSourceArn: arnOf(queueId),
      FunctionName: arnOf(functionId),
      Enabled: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: consumer.maximumConcurrency },
    },
  });
  const retry = settings.classifierRetry;
  return {
    Resources: {
      ClassificationQueue: queue('classification', settings.classification, 'ClassificationDeadLetterQueue'),
      ClassificationDeadLetterQueue: queue('classification-dead-letters'),
      ThumbnailQueue: queue('thumbnails', settings.thumbnails, 'ThumbnailDeadLetterQueue'),
      ThumbnailDeadLetterQueue: queue('thumbnail-dead-letters'),
      ClassificationWorkerLambdaFunction: lambda('classificationWorker', settings.classificationWorker, {
        CLASSIFIER_FUNCTION_NAME: { Ref: 'ClassifierLambdaFunction' },
        // Lambda environment values are strings.
        CLASSIFIER_MAX_ATTEMPTS: String(retry.maxAttempts),
        CLASSIFIER_RETRY_BASE_DELAY_MS: String(retry.baseDelayMs),
        CLASSIFIER_RETRY_MAX_DELAY_MS: String(retry.maxDelayMs),
        CLASSIFIER_TIMEOUT_MS: String(retry.attemptTimeoutMs),
      }),
      ThumbnailWorkerLambdaFunction: lambda('thumbnailWorker', settings.thumbnailWorker, {}),
      ClassifierLambdaFunction: lambda('classifier', settings.classifier, { CLASSIFIER_THREADS: '1' }),
      ClassificationWorkerEventSourceMappingSQSClassificationQueue: mapping(
        'ClassificationQueue',
        'ClassificationWorkerLambdaFunction',
        settings.classification,
      ),
      ThumbnailWorkerEventSourceMappingSQSThumbnailQueue: mapping(
        'ThumbnailQueue',
        'ThumbnailWorkerLambdaFunction',
        settings.thumbnails,
      ),
    },
  };
}
