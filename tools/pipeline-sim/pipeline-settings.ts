import { resolveIntrinsics, type TemplateResource } from '../deploy/resolve-intrinsics.js';
import type { LambdaArchitecture } from './aws-prices.js';

/**
 * The pipeline's settings as deployed, read from the packaged CloudFormation template (`osls package`), never
 * copied: a setting changed in serverless.ts changes the simulation. Only the queues' logical ids are taken from the
 * contract (ClassificationQueue, ThumbnailQueue); everything else is found by type and reference: the event source
 * mapping whose EventSourceArn is the queue's Arn, its function, the dead-letter queue its RedrivePolicy names, and
 * the classifier the worker's CLASSIFIER_FUNCTION_NAME refers to.
 */
export interface FunctionSettings {
  logicalId: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** ReservedConcurrentExecutions; undefined: the function draws on the account's unreserved pool. */
  reservedConcurrency: number | undefined;
  architecture: LambdaArchitecture;
}

export interface QueueConsumerSettings {
  queueLogicalId: string;
  mappingLogicalId: string;
  deadLetterQueueLogicalId: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  maximumConcurrency: number;
  reportBatchItemFailures: boolean;
  worker: FunctionSettings;
}

/** The worker's ClassifierClient policy (libs/classification): attempts, full-jitter back-off, per-attempt timeout. */
export interface ClassifierRetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
}

export interface PipelineSettings {
  classification: QueueConsumerSettings;
  thumbnails: QueueConsumerSettings;
  classifier: FunctionSettings;
  classifierRetry: ClassifierRetrySettings;
}

export interface PackagedTemplate {
  Resources: Record<string, TemplateResource>;
}

/** The contract's names (what the pipeline's serverless.ts declares). */
export const PIPELINE_QUEUES = { classification: 'ClassificationQueue', thumbnails: 'ThumbnailQueue' } as const;
const RETRY_VARIABLES = {
  maxAttempts: 'CLASSIFIER_MAX_ATTEMPTS',
  baseDelayMs: 'CLASSIFIER_RETRY_BASE_DELAY_MS',
  maxDelayMs: 'CLASSIFIER_RETRY_MAX_DELAY_MS',
  attemptTimeoutMs: 'CLASSIFIER_TIMEOUT_MS',
} as const;

/** The template lacks a resource or a setting the simulation needs; `problems` names each one. */
export class PipelineSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`The packaged template does not declare the pipeline the simulation models:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PipelineSettingsError';
  }
}

// Any fixed account and region: references are compared after both sides are resolved the same way.
const CONTEXT = { accountId: '123456789012', region: 'us-east-1' };

export function readPipelineSettings(template: PackagedTemplate): PipelineSettings {
  const reader = new TemplateReader(template.Resources);
  const classification = reader.consumer(PIPELINE_QUEUES.classification);
  const thumbnails = reader.consumer(PIPELINE_QUEUES.thumbnails);
  const classifierId =
    classification && reader.functionNamedBy(classification.worker.logicalId, 'CLASSIFIER_FUNCTION_NAME');
  const classifier = classifierId === undefined ? undefined : reader.function(classifierId);
  const classifierRetry = classification && reader.retrySettings(classification.worker.logicalId);
  if (reader.problems.length > 0 || !classification || !thumbnails || !classifier || !classifierRetry) {
    throw new PipelineSettingsError(reader.problems);
  }
  return { classification, thumbnails, classifier, classifierRetry };
}

class TemplateReader {
  readonly problems: string[] = [];

  constructor(private readonly resources: Record<string, TemplateResource>) {}

  consumer(queueId: string): QueueConsumerSettings | undefined {
    const queue = this.resources[queueId];
    if (queue?.Type !== 'AWS::SQS::Queue') {
      this.problems.push(`${queueId}: no AWS::SQS::Queue of that logical id`);
      return undefined;
    }
    const queueProperties = queue.Properties ?? {};
    const visibilityTimeoutSeconds = this.number(queueProperties.VisibilityTimeout, `${queueId}.VisibilityTimeout`);
    const redrive = this.redrivePolicy(queueId, queueProperties.RedrivePolicy);

    const queueArn = this.resolve({ 'Fn::GetAtt': [queueId, 'Arn'] });
    const mappings = this.ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => this.resolve(mapping.Properties?.EventSourceArn) === queueArn,
    );
    if (mappings.length !== 1) {
      this.problems.push(
        `${queueId}: expected one AWS::Lambda::EventSourceMapping whose EventSourceArn is its Arn, found ${mappings.length}`,
      );
      return undefined;
    }
    const [mappingId, mapping] = mappings[0]!;
    const properties = mapping.Properties ?? {};
    const workerId = this.functionByReference(properties.FunctionName, `${mappingId}.FunctionName`);
    const worker = workerId === undefined ? undefined : this.function(workerId);
    const batchSize = this.number(properties.BatchSize, `${mappingId}.BatchSize`);
    // CloudFormation's default is 0 (no window): absent means none.
    const maximumBatchingWindowSeconds = this.number(
      properties.MaximumBatchingWindowInSeconds ?? 0,
      `${mappingId}.MaximumBatchingWindowInSeconds`,
    );
    const maximumConcurrency = this.number(
      (properties.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency,
      `${mappingId}.ScalingConfig.MaximumConcurrency`,
    );
    const responseTypes = properties.FunctionResponseTypes;
    const reportBatchItemFailures = Array.isArray(responseTypes) && responseTypes.includes('ReportBatchItemFailures');
    if (!worker || visibilityTimeoutSeconds === undefined || !redrive || batchSize === undefined) return undefined;
    if (maximumBatchingWindowSeconds === undefined || maximumConcurrency === undefined) return undefined;
    return {
      queueLogicalId: queueId,
      mappingLogicalId: mappingId,
      deadLetterQueueLogicalId: redrive.deadLetterQueueId,
      visibilityTimeoutSeconds,
      maxReceiveCount: redrive.maxReceiveCount,
      batchSize,
      maximumBatchingWindowSeconds,
      maximumConcurrency,
      reportBatchItemFailures,
      worker,
    };
  }

  function(logicalId: string): FunctionSettings | undefined {
    const properties = this.resources[logicalId]?.Properties ?? {};
    const timeoutSeconds = this.number(properties.Timeout, `${logicalId}.Timeout`);
    const memoryMb = this.number(properties.MemorySize, `${logicalId}.MemorySize`);
    const reserved = properties.ReservedConcurrentExecutions;
    const reservedConcurrency =
      reserved === undefined ? undefined : this.number(reserved, `${logicalId}.ReservedConcurrentExecutions`);
    const architectures = properties.Architectures;
    // Lambda's default architecture is x86_64.
    const architecture: LambdaArchitecture =
      Array.isArray(architectures) && architectures[0] === 'arm64' ? 'arm64' : 'x86_64';
    if (timeoutSeconds === undefined || memoryMb === undefined) return undefined;
    return { logicalId, timeoutSeconds, memoryMb, reservedConcurrency, architecture };
  }

  /** The function a worker's environment variable names (a Ref or an Arn of a function in the template). */
  functionNamedBy(workerId: string, variable: string): string | undefined {
    const value = this.environment(workerId)[variable];
    if (value === undefined) {
      this.problems.push(`${workerId}: no ${variable} in its environment`);
      return undefined;
    }
    return this.functionByReference(value, `${workerId} ${variable}`);
  }

  retrySettings(workerId: string): ClassifierRetrySettings | undefined {
    const environment = this.environment(workerId);
    const settings: Partial<ClassifierRetrySettings> = {};
    for (const [key, variable] of Object.entries(RETRY_VARIABLES) as [keyof ClassifierRetrySettings, string][]) {
      if (environment[variable] === undefined) this.problems.push(`${workerId}: no ${variable} in its environment`);
      else settings[key] = this.number(environment[variable], `${workerId} ${variable}`);
    }
    const complete = Object.keys(RETRY_VARIABLES).every(
      (key) => settings[key as keyof ClassifierRetrySettings] !== undefined,
    );
    return complete ? (settings as ClassifierRetrySettings) : undefined;
  }

  private environment(functionId: string): Record<string, unknown> {
    const environment = this.resources[functionId]?.Properties?.Environment as
      { Variables?: Record<string, unknown> } | undefined;
    return environment?.Variables ?? {};
  }

  private redrivePolicy(
    queueId: string,
    policy: unknown,
  ): { deadLetterQueueId: string; maxReceiveCount: number } | undefined {
    const parsed = (typeof policy === 'string' ? JSON.parse(policy) : policy) as
      { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
    if (!parsed) {
      this.problems.push(`${queueId}: no RedrivePolicy`);
      return undefined;
    }
    const maxReceiveCount = this.number(parsed.maxReceiveCount, `${queueId}.RedrivePolicy.maxReceiveCount`);
    const targetArn = this.resolve(parsed.deadLetterTargetArn);
    const target = this.ofType('AWS::SQS::Queue').find(
      ([id]) => this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) === targetArn,
    );
    if (!target)
      this.problems.push(
        `${queueId}.RedrivePolicy.deadLetterTargetArn: not a queue of this template (${String(targetArn)})`,
      );
    if (!target || maxReceiveCount === undefined) return undefined;
    return { deadLetterQueueId: target[0], maxReceiveCount };
  }

  private functionByReference(reference: unknown, where: string): string | undefined {
    const resolved = this.resolve(reference);
    // An alias of a function (its ARN qualified by the alias's name) runs that function, with its concurrency.
    const aliases = this.ofType('AWS::Lambda::Alias').map(([id]) => this.resolve({ Ref: id }));
    const found = this.ofType('AWS::Lambda::Function').find(([id]) => {
      const arn = this.resolve({ 'Fn::GetAtt': [id, 'Arn'] });
      return (
        this.resolve({ Ref: id }) === resolved ||
        arn === resolved ||
        (aliases.includes(resolved) && String(resolved).startsWith(`${String(arn)}:`))
      );
    });
    if (!found)
      this.problems.push(`${where}: refers to no AWS::Lambda::Function of this template (${String(resolved)})`);
    return found?.[0];
  }

  private number(value: unknown, where: string): number | undefined {
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 0) {
      this.problems.push(`${where}: ${value === undefined ? 'missing' : `not a number (${JSON.stringify(value)})`}`);
      return undefined;
    }
    return parsed;
  }

  private resolve(value: unknown): unknown {
    return resolveIntrinsics(value, { resources: this.resources, ...CONTEXT });
  }

  private ofType(type: string): [string, TemplateResource][] {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }
}
