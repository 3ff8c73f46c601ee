import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import {
  startDynamoDbStreamPoller,
  type DynamoDbStreamPoller,
  type DynamoDbStreamPollerOptions,
} from './dynamodb-stream-poller.js';
import { LOCAL_REGION, localCredentials } from './local-account.js';

// Java takes 1–12 s to answer on two busy cores.
const JAVA_TIMEOUT_MS = 30_000;

/** Records whose status became DONE. */
const DONE = [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { status: { S: ['DONE'] } } } }];

function table(tableName: string, stream: boolean): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  };
}

// Against DynamoDB Local's own Streams API: the local event source mapping the notifier runs behind.
describe('startDynamoDbStreamPoller', () => {
  let dynamoDbLocal: DynamoDbLocal;
  let dynamoDb: DynamoDBClient;
  const pollers: DynamoDbStreamPoller[] = [];

  beforeAll(async () => {
    dynamoDbLocal = await startDynamoDbLocal({ log: () => undefined });
    dynamoDb = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: dynamoDbLocal.endpoint,
      credentials: localCredentials,
    });
  }, JAVA_TIMEOUT_MS);

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });

  afterAll(async () => {
    dynamoDb?.destroy();
    await dynamoDbLocal?.stop();
  });

  async function newTable(stream = true): Promise<string> {
    const tableName = `items-${randomUUID()}`;
    await dynamoDb.send(new CreateTableCommand(table(tableName, stream)));
    return tableName;
  }

  async function start(
    tableName: string,
    handler: DynamoDbStreamPollerOptions['handler'],
    overrides: Partial<DynamoDbStreamPollerOptions> = {},
  ) {
    const poller = await startDynamoDbStreamPoller({
      dynamoDb,
      tableName,
      filterPatterns: DONE,
      batchSize: 2,
      maximumRetryAttempts: 2,
      handler,
      pollIntervalMs: 20,
      ...overrides,
    });
    pollers.push(poller);
    return poller;
  }

  const put = (tableName: string, id: string, status: string) =>
    dynamoDb.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id }, status: { S: status } } }));
  const setStatus = (tableName: string, id: string, status: string) =>
    dynamoDb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { id: { S: id } },
        UpdateExpression: 'SET #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': { S: status } },
      }),
    );
  const idsOf = (events: DynamoDBStreamEvent[]) =>
    events.map((event) => event.Records.map((record) => record.dynamodb?.NewImage?.id?.S));

  it('delivers, in Lambda’s shape and in batches of the batch size, only what was written after it started and matches the filter', async () => {
    const tableName = await newTable();
    await put(tableName, 'before', 'DONE');
    const events: DynamoDBStreamEvent[] = [];
    const poller = await start(tableName, async (event) => void events.push(event));

    await put(tableName, 'a', 'NEW');
    await setStatus(tableName, 'a', 'DONE');
    await put(tableName, 'b', 'DONE');
    await put(tableName, 'c', 'DONE');

    await vi.waitFor(() => expect(events.flatMap((event) => event.Records)).toHaveLength(3), {
      timeout: 10_000,
      interval: 50,
    });
    expect(idsOf(events).flat()).toEqual(['a', 'b', 'c']);
    expect(events.every((event) => event.Records.length <= 2)).toBe(true);
    expect(events[0]!.Records[0]).toMatchObject({
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      eventSourceARN: poller.streamArn,
      awsRegion: LOCAL_REGION,
      dynamodb: {
        Keys: { id: { S: 'a' } },
        OldImage: { id: { S: 'a' }, status: { S: 'NEW' } },
        NewImage: { id: { S: 'a' }, status: { S: 'DONE' } },
        SequenceNumber: expect.any(String),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
  }, 20_000);

  it('resumes at the failed record of a partial batch response, as ReportBatchItemFailures does', async () => {
    const tableName = await newTable();
    const events: DynamoDBStreamEvent[] = [];
    let failedOnce = false;
    await start(tableName, async (event): Promise<DynamoDBBatchResponse> => {
      events.push(event);
      const y = event.Records.find((record) => record.dynamodb?.NewImage?.id?.S === 'y');
      if (!failedOnce && y) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: y.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });

    // One transaction: both records reach the stream together, so they are read in one batch.
    await dynamoDb.send(
      new TransactWriteItemsCommand({
        TransactItems: ['x', 'y'].map((id) => ({
          Put: { TableName: tableName, Item: { id: { S: id }, status: { S: 'DONE' } } },
        })),
      }),
    );

    await vi.waitFor(() => expect(idsOf(events).flat()).toEqual(['x', 'y', 'y']), { timeout: 10_000, interval: 50 });
    expect(idsOf(events)).toEqual([['x', 'y'], ['y']]);
  }, 20_000);

  it('retries a failing batch, then drops it after the maximum retry attempts and goes on', async () => {
    const tableName = await newTable();
    const log = vi.fn();
    const attempts: string[] = [];
    await start(
      tableName,
      async (event) => {
        const id = event.Records[0]!.dynamodb!.NewImage!.id!.S!;
        attempts.push(id);
        if (id === 'poison') throw new Error('cannot handle this');
      },
      { batchSize: 1, log },
    );

    await put(tableName, 'poison', 'DONE');
    await put(tableName, 'fine', 'DONE');

    await vi.waitFor(() => expect(attempts).toEqual(['poison', 'poison', 'poison', 'fine']), {
      timeout: 10_000,
      interval: 50,
    });
    expect(log).toHaveBeenCalledWith('Dropped 1 stream records after 3 attempts');
  }, 20_000);

  it('turns the stream on for a table (from an older local run) that has none', async () => {
    const tableName = await newTable(false);
    const events: DynamoDBStreamEvent[] = [];
    const poller = await start(tableName, async (event) => void events.push(event));

    await put(tableName, 'late', 'DONE');

    expect(poller.streamArn).toContain(tableName);
    await vi.waitFor(() => expect(idsOf(events)).toEqual([['late']]), { timeout: 10_000, interval: 50 });
  }, 40_000);
});
