import 'aws-sdk-client-mock-vitest/extend';
import { ServiceUnavailableError } from '@app/errors';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsConfig } from './aws.config.js';
import { cancellationCause, failedConditions, ThrottleSafeDynamoDb } from './throttle-safe-dynamodb.js';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const TRANSACTION = new TransactWriteCommand({
  TransactItems: [{ Put: { TableName: 'images', Item: { groupId: 'g', timestampId: 't' } } }],
});

describe('cancellationCause', () => {
  it('reads a failed condition as definitive, naming the items whose condition failed', () => {
    expect(cancellationCause(cancelled('None', 'ConditionalCheckFailed'))).toEqual({
      kind: 'condition',
      failedItems: [1],
    });
    // A failed condition wins over a conflict on another item: retrying could not make it pass.
    expect(cancellationCause(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toEqual({
      kind: 'condition',
      failedItems: [0],
    });
  });

  it('reads conflicts and throttling (and nothing else) as transient', () => {
    expect(cancellationCause(cancelled('None', 'TransactionConflict'))).toEqual({ kind: 'transient' });
    expect(cancellationCause(cancelled('ThrottlingError', 'None', 'ProvisionedThroughputExceeded'))).toEqual({
      kind: 'transient',
    });
  });

  it('reads anything else (validation, size limits, no reasons) as neither', () => {
    expect(cancellationCause(cancelled('None', 'ValidationError'))).toEqual({ kind: 'other' });
    expect(cancellationCause(cancelled('TransactionConflict', 'ItemCollectionSizeLimitExceeded'))).toEqual({
      kind: 'other',
    });
    expect(cancellationCause(cancelled())).toEqual({ kind: 'other' });
  });

  it('gives the failed items of a failed-condition cancellation only', () => {
    expect(failedConditions(cancelled('None', 'ConditionalCheckFailed'))).toEqual([1]);
    expect(failedConditions(cancelled('TransactionConflict'))).toBeUndefined();
    expect(failedConditions(new Error('other'))).toBeUndefined();
  });
});

describe('ThrottleSafeDynamoDb', () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);
  const budget = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 10_000 };
  let sleeps: number[];
  let throttleSafe: ThrottleSafeDynamoDb;

  beforeEach(() => {
    dynamoDbMock.reset();
    sleeps = [];
    const timing = { now: () => 0, random: () => 0.5, sleep: async (ms: number) => sleeps.push(ms) };
    throttleSafe = new ThrottleSafeDynamoDb(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
      { dynamoDbMaxAttempts: 3, dynamoDbRetry: budget } as AwsConfig,
      timing,
    );
  });

  describe('transactWrite', () => {
    it('retries a transaction cancelled by a conflict, then succeeds', async () => {
      dynamoDbMock
        .on(TransactWriteCommand)
        .rejectsOnce(cancelled('None', 'TransactionConflict'))
        .rejectsOnce(cancelled('ThrottlingError', 'None'))
        .resolves({});

      await expect(throttleSafe.transactWrite(TRANSACTION)).resolves.toEqual({});

      expect(dynamoDbMock).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
      expect(dynamoDbMock.commandCalls(TransactWriteCommand)[2]!.args[0].input).toEqual(TRANSACTION.input);
      expect(sleeps).toEqual([5, 10]);
    });

    it('answers 503 once the attempts are spent on conflicts', async () => {
      dynamoDbMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));

      const write = throttleSafe.transactWrite(TRANSACTION);

      await expect(write).rejects.toThrow(ServiceUnavailableError);
      await expect(write).rejects.toThrow('DynamoDB is unavailable; try again later');
      expect(dynamoDbMock).toHaveReceivedCommandTimes(TransactWriteCommand, budget.maxAttempts);
    });

    it('rethrows a failed condition at once and unchanged, for the caller to name', async () => {
      const conditionFailed = cancelled('None', 'ConditionalCheckFailed');
      dynamoDbMock.on(TransactWriteCommand).rejects(conditionFailed);

      await expect(throttleSafe.transactWrite(TRANSACTION)).rejects.toBe(conditionFailed);
      expect(dynamoDbMock).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('answers 503 for a throttle the SDK already retried, without retrying it again', async () => {
      const throttled = Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
      dynamoDbMock.on(TransactWriteCommand).rejects(throttled);

      await expect(throttleSafe.transactWrite(TRANSACTION)).rejects.toThrow(ServiceUnavailableError);
      expect(dynamoDbMock).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('leaves a bug (a validation error) a bug', async () => {
      const invalid = Object.assign(new Error('bad'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
      dynamoDbMock.on(TransactWriteCommand).rejects(invalid);

      await expect(throttleSafe.transactWrite(TRANSACTION)).rejects.toBe(invalid);
    });
  });

  describe('query', () => {
    const QUERY = new QueryCommand({
      TableName: 'images',
      KeyConditionExpression: 'groupShard = :shard',
      ExpressionAttributeValues: { ':shard': 'g#0' },
    });
    /** A throttle as the SDK rethrows it, after `attempts` attempts. */
    const throttledAfter = (attempts: number) =>
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400, attempts },
      });

    it("tries again a throttle whose retry the SDK's spent quota refused (1 attempt of 3), then answers the page", async () => {
      dynamoDbMock
        .on(QueryCommand)
        .rejectsOnce(throttledAfter(1))
        .resolves({ Items: [{ id: 'a' }] });

      await expect(throttleSafe.query(QUERY)).resolves.toMatchObject({ Items: [{ id: 'a' }] });

      expect(dynamoDbMock).toHaveReceivedCommandTimes(QueryCommand, 2);
      expect(dynamoDbMock.commandCalls(QueryCommand)[1]!.args[0].input).toEqual(QUERY.input);
      expect(sleeps).toEqual([5]);
    });

    it('answers 503 for a throttle the SDK already retried to its limit, without retrying it again', async () => {
      dynamoDbMock.on(QueryCommand).rejects(throttledAfter(3));

      await expect(throttleSafe.query(QUERY)).rejects.toThrow(
        new ServiceUnavailableError('DynamoDB is unavailable; try again later'),
      );
      expect(dynamoDbMock).toHaveReceivedCommandTimes(QueryCommand, 1);
    });

    it("answers 503 once the budget's attempts are spent on refused retries", async () => {
      dynamoDbMock.on(QueryCommand).rejects(throttledAfter(1));

      await expect(throttleSafe.query(QUERY)).rejects.toThrow(ServiceUnavailableError);
      expect(dynamoDbMock).toHaveReceivedCommandTimes(QueryCommand, budget.maxAttempts);
    });

    it('gets an item the same way', async () => {
      const GET = new GetCommand({ TableName: 'images', Key: { groupShard: 'g#0', timestampId: 't' } });
      dynamoDbMock
        .on(GetCommand)
        .rejectsOnce(throttledAfter(1))
        .resolves({ Item: { id: 'a' } });

      await expect(throttleSafe.get(GET)).resolves.toMatchObject({ Item: { id: 'a' } });
      expect(dynamoDbMock).toHaveReceivedCommandTimes(GetCommand, 2);
    });

    it('leaves a bug (a validation error) a bug', async () => {
      const invalid = Object.assign(new Error('bad'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      dynamoDbMock.on(QueryCommand).rejects(invalid);

      await expect(throttleSafe.query(QUERY)).rejects.toBe(invalid);
      expect(dynamoDbMock).toHaveReceivedCommandTimes(QueryCommand, 1);
    });
  });

  describe('batchGet', () => {
    const key = (id: string) => ({ groupId: 'g', timestampId: id });
    const item = (id: string) => ({ ...key(id), title: id });

    it('asks again for the unprocessed keys until none is left, and merges the answers', async () => {
      dynamoDbMock
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { images: [item('a')] },
          UnprocessedKeys: { images: { Keys: [key('b'), key('c')] } },
        })
        .resolvesOnce({ Responses: { images: [item('b')] }, UnprocessedKeys: { images: { Keys: [key('c')] } } })
        .resolvesOnce({ Responses: { images: [item('c')] }, UnprocessedKeys: {} });

      const output = await throttleSafe.batchGet(
        new BatchGetCommand({ RequestItems: { images: { Keys: [key('a'), key('b'), key('c')] } } }),
      );

      expect(output.Responses).toEqual({ images: [item('a'), item('b'), item('c')] });
      expect(output.UnprocessedKeys).toBeUndefined();
      const requests = dynamoDbMock.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
      expect(requests.slice(1)).toEqual([
        { RequestItems: { images: { Keys: [key('b'), key('c')] } } },
        { RequestItems: { images: { Keys: [key('c')] } } },
      ]);
      expect(sleeps).toEqual([5, 10]);
    });

    it('answers 503 when keys are still unprocessed once the budget is spent', async () => {
      dynamoDbMock
        .on(BatchGetCommand)
        .resolves({ Responses: { images: [] }, UnprocessedKeys: { images: { Keys: [key('a')] } } });

      const read = throttleSafe.batchGet(new BatchGetCommand({ RequestItems: { images: { Keys: [key('a')] } } }));

      await expect(read).rejects.toThrow(new ServiceUnavailableError('DynamoDB is unavailable; try again later'));
      expect(dynamoDbMock).toHaveReceivedCommandTimes(BatchGetCommand, budget.maxAttempts);
    });

    it('answers 503 for a throttled request', async () => {
      dynamoDbMock
        .on(BatchGetCommand)
        .rejects(
          Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: {} }),
        );

      await expect(
        throttleSafe.batchGet(new BatchGetCommand({ RequestItems: { images: { Keys: [key('a')] } } })),
      ).rejects.toThrow(ServiceUnavailableError);
    });
  });
});
