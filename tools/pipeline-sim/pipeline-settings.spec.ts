import { describe, expect, it } from 'vitest';
import { contractTemplate, CONTRACT_FIXTURE_SETTINGS } from './contract-template.js';
import { PipelineSettingsError, readPipelineSettings, type PackagedTemplate } from './pipeline-settings.js';

function problemsOf(template: PackagedTemplate): string[] {
  try {
    readPipelineSettings(template);
  } catch (error) {
    if (error instanceof PipelineSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a PipelineSettingsError');
}

describe('readPipelineSettings', () => {
  it('reads every setting the simulation uses from a template of the contract’s shape', () => {
    const fixture = CONTRACT_FIXTURE_SETTINGS;

    const settings = readPipelineSettings(contractTemplate());

    expect(settings).toEqual({
      classification: {
        queueLogicalId: 'ClassificationQueue',
        mappingLogicalId: 'ClassificationWorkerEventSourceMappingSQSClassificationQueue',
        deadLetterQueueLogicalId: 'ClassificationDeadLetterQueue',
        visibilityTimeoutSeconds: fixture.classification.visibilityTimeoutSeconds,
        maxReceiveCount: fixture.classification.maxReceiveCount,
        batchSize: fixture.classification.batchSize,
        maximumBatchingWindowSeconds: fixture.classification.batchingWindowSeconds,
        maximumConcurrency: fixture.classification.maximumConcurrency,
        reportBatchItemFailures: true,
        worker: {
          logicalId: 'ClassificationWorkerLambdaFunction',
          timeoutSeconds: fixture.classificationWorker.timeoutSeconds,
          memoryMb: fixture.classificationWorker.memoryMb,
          reservedConcurrency: undefined,
          architecture: 'arm64',
        },
      },
      thumbnails: expect.objectContaining({
        queueLogicalId: 'ThumbnailQueue',
        deadLetterQueueLogicalId: 'ThumbnailDeadLetterQueue',
        maximumConcurrency: fixture.thumbnails.maximumConcurrency,
        worker: expect.objectContaining({ logicalId: 'ThumbnailWorkerLambdaFunction' }),
      }),
      classifier: {
        logicalId: 'ClassifierLambdaFunction',
        timeoutSeconds: fixture.classifier.timeoutSeconds,
        memoryMb: fixture.classifier.memoryMb,
        reservedConcurrency: fixture.classifier.reservedConcurrency,
        architecture: 'arm64',
      },
      classifierRetry: fixture.classifierRetry,
    });
  });

  it('finds the mapping, the worker and the dead-letter queue by reference, whatever their logical ids', () => {
    const template = contractTemplate();
    const resources = template.Resources;
    const rename = (from: string, to: string) => {
      resources[to] = resources[from]!;
      delete resources[from];
    };
    rename('ClassificationWorkerEventSourceMappingSQSClassificationQueue', 'SomeMapping');
    rename('ClassificationDeadLetterQueue', 'Letters');
    (resources.ClassificationQueue!.Properties!.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn =
      { 'Fn::GetAtt': ['Letters', 'Arn'] };
    // A JSON string policy and a function named by Ref, as hand-written templates have them.
    resources.ClassificationQueue!.Properties!.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:udagram-ci-classification-dead-letters',
      maxReceiveCount: 7,
    });
    resources.SomeMapping!.Properties!.FunctionName = { Ref: 'ClassificationWorkerLambdaFunction' };

    const settings = readPipelineSettings(template);

    expect(settings.classification).toMatchObject({
      mappingLogicalId: 'SomeMapping',
      deadLetterQueueLogicalId: 'Letters',
      maxReceiveCount: 7,
      worker: { logicalId: 'ClassificationWorkerLambdaFunction' },
    });
  });

  it('names every missing resource and setting instead of guessing (the stack before the queue existed)', () => {
    const template = contractTemplate();
    delete template.Resources.ThumbnailQueue;
    delete template.Resources.ClassificationWorkerEventSourceMappingSQSClassificationQueue;

    expect(problemsOf(template)).toEqual([
      'ClassificationQueue: expected one AWS::Lambda::EventSourceMapping whose EventSourceArn is its Arn, found 0',
      'ThumbnailQueue: no AWS::SQS::Queue of that logical id',
    ]);
  });

  it('refuses a worker without the classifier retry settings or a mapping without MaximumConcurrency', () => {
    const template = contractTemplate();
    const environment = (
      template.Resources.ClassificationWorkerLambdaFunction!.Properties!.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    delete environment.CLASSIFIER_MAX_ATTEMPTS;
    environment.CLASSIFIER_TIMEOUT_MS = 'soon';
    delete template.Resources.ThumbnailWorkerEventSourceMappingSQSThumbnailQueue!.Properties!.ScalingConfig;

    expect(problemsOf(template)).toEqual([
      'ThumbnailWorkerEventSourceMappingSQSThumbnailQueue.ScalingConfig.MaximumConcurrency: missing',
      'ClassificationWorkerLambdaFunction: no CLASSIFIER_MAX_ATTEMPTS in its environment',
      'ClassificationWorkerLambdaFunction CLASSIFIER_TIMEOUT_MS: not a number ("soon")',
    ]);
  });
});
