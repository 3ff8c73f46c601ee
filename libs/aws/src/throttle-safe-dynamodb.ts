import { ServiceUnavailableError } from '@app/errors';
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type GetCommandOutput,
  type QueryCommandOutput,
  type TransactWriteCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { isThrottlingError } from '@smithy/core/retry';
import { awsConfig, type AwsConfig, type RetryBudget } from './aws.config.js';
import { DYNAMODB_RETRY_TIMING } from './aws.constants.js';
import { dependencyFailure, unavailableMessage } from './dependency-failure.js';
import { retryWithinBudget } from './retry-within-budget.js';
import type { RetryClock } from './retry-timing.js';

/** Cancellation codes that say nothing about the data: another attempt may pass. */
const TRANSIENT_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

export type Items = Record<string, unknown>[];

/** Why a transaction was cancelled, read from its CancellationReasons (one per item, in order). */
export type CancellationCause =
  { kind: 'condition'; failedItems: number[] } | { kind: 'transient' } | { kind: 'other' };

export function cancellationCause(error: TransactionCanceledException): CancellationCause {
  const codes = (error.CancellationReasons ?? []).map((reason: CancellationReason) => reason.Code ?? 'None');
  const failedItems = codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : []));
  if (failedItems.length > 0) return { kind: 'condition', failedItems };
  const causes = codes.filter((code) => code !== 'None');
  if (causes.length > 0 && causes.every((code) => TRANSIENT_CANCELLATION_CODES.has(code))) return { kind: 'transient' };
  return { kind: 'other' };
}

/**
 * A throttle the SDK gave up on before its own attempts were spent: its retry quota, shared by every request of the
 * client and drained by an outage (each failed retry costs tokens, each success gives back one), refused the retry.
 * Another attempt is what the SDK would have made; it is not a second layer of retries on top of the SDK's.
 */
export function throttledWithoutSdkRetry(error: unknown, sdkMaxAttempts: number): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isThrottlingError>[0] & { $metadata?: { attempts?: number } };
  const attempts = sdkError.$metadata?.attempts;
  return isThrottlingError(sdkError) && attempts !== undefined && attempts < sdkMaxAttempts;
}

/** Carries what a BatchGet round left unprocessed to the next round. */
class UnprocessedKeysLeft extends Error {
  constructor(readonly requestItems: NonNullable<BatchGetCommandInput['RequestItems']>) {
    super('BatchGetItem left keys unprocessed');
    this.name = 'UnprocessedKeysLeft';
  }
}

/**
 * The two DynamoDB calls whose throttling the SDK cannot retry by itself, because it arrives as a 400 or as a
 * success: a transaction cancelled by conflicts or throttling (TransactionCanceledException), and a BatchGet that
 * leaves keys unprocessed. Both are retried with full jitter inside the configured budget, then answered as
 * DynamoDB being unavailable (ServiceUnavailableError, 503). Plain throttling of single requests is retried by the
 * SDK itself (the client's standard retry mode), so the two layers never multiply each other's attempts; only a
 * throttle whose retry the SDK's spent quota refused is tried again here (see throttledWithoutSdkRetry). Queries go
 * through here too: a page merged from several shards' queries fails if any one does, so one refused retry must not
 * fail the page.
 */
@Injectable()
export class ThrottleSafeDynamoDb {
  private readonly budget: RetryBudget;
  private readonly sdkMaxAttempts: number;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamoDb: DynamoDBDocumentClient,
    @Inject(awsConfig.KEY) config: AwsConfig,
    @Inject(DYNAMODB_RETRY_TIMING) private readonly timing: RetryClock,
  ) {
    this.budget = config.dynamoDbRetry;
    this.sdkMaxAttempts = config.dynamoDbMaxAttempts;
  }

  /** The query's page; a throttle the SDK could not retry is retried within the budget, then a 503 as any outage. */
  query(command: QueryCommand): Promise<QueryCommandOutput> {
    return this.retryingRefusedThrottles((attempt) =>
      this.dynamoDb.send(attempt === 1 ? command : new QueryCommand(command.input)),
    );
  }

  /** The item, as `query` retries. */
  get(command: GetCommand): Promise<GetCommandOutput> {
    return this.retryingRefusedThrottles((attempt) =>
      this.dynamoDb.send(attempt === 1 ? command : new GetCommand(command.input)),
    );
  }

  private async retryingRefusedThrottles<T>(send: (attempt: number) => Promise<T>): Promise<T> {
    try {
      return await retryWithinBudget(
        send,
        (error) => throttledWithoutSdkRetry(error, this.sdkMaxAttempts),
        this.budget,
        this.timing,
      );
    } catch (error) {
      throw dependencyFailure(error, 'DynamoDB');
    }
  }

  /**
   * Writes the transaction. A cancellation by a failed condition is definitive and rethrown unchanged, for the
   * caller to name (see `failedConditions`); one only by conflicts or throttling is retried (nothing was written),
   * then becomes a ServiceUnavailableError, as does a request the SDK gave up on.
   */
  async transactWrite(command: TransactWriteCommand): Promise<TransactWriteCommandOutput> {
    try {
      // A new command (and so a new idempotency token) per attempt: a cancelled transaction wrote nothing.
      return await retryWithinBudget(
        (attempt) => this.dynamoDb.send(attempt === 1 ? command : new TransactWriteCommand(command.input)),
        (error) =>
          (error instanceof TransactionCanceledException && cancellationCause(error).kind === 'transient') ||
          throttledWithoutSdkRetry(error, this.sdkMaxAttempts),
        this.budget,
        this.timing,
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && cancellationCause(error).kind === 'transient') {
        throw new ServiceUnavailableError(unavailableMessage('DynamoDB'), { cause: error });
      }
      throw dependencyFailure(error, 'DynamoDB');
    }
  }

  /**
   * Every item of the BatchGet, per table, asking again for the unprocessed keys until none is left, or the budget
   * is spent (then a ServiceUnavailableError). The answer never has UnprocessedKeys.
   */
  async batchGet(command: BatchGetCommand): Promise<BatchGetCommandOutput> {
    const responses: Record<string, Items> = {};
    let requestItems = command.input.RequestItems ?? {};
    try {
      const last = await retryWithinBudget(
        async () => {
          const output = await this.dynamoDb.send(
            new BatchGetCommand({ ...command.input, RequestItems: requestItems }),
          );
          for (const [table, items] of Object.entries(output.Responses ?? {})) (responses[table] ??= []).push(...items);
          const { UnprocessedKeys } = output;
          if (UnprocessedKeys !== undefined && Object.keys(UnprocessedKeys).length > 0) {
            requestItems = UnprocessedKeys;
            throw new UnprocessedKeysLeft(UnprocessedKeys);
          }
          return output;
        },
        (error) => error instanceof UnprocessedKeysLeft || throttledWithoutSdkRetry(error, this.sdkMaxAttempts),
        this.budget,
        this.timing,
      );
      return { ...last, Responses: responses, UnprocessedKeys: undefined };
    } catch (error) {
      if (error instanceof UnprocessedKeysLeft) {
        throw new ServiceUnavailableError(unavailableMessage('DynamoDB'), { cause: error });
      }
      throw dependencyFailure(error, 'DynamoDB');
    }
  }
}

/** The indexes of the transaction items whose condition failed, or undefined when `error` is no such cancellation. */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const cause = cancellationCause(error);
  return cause.kind === 'condition' ? cause.failedItems : undefined;
}
