import { describeError } from '@app/errors';
import {
  DescribeTableCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  TrimmedDataAccessException,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchesAnyPattern, type FilterPattern } from './event-filter.js';

export interface DynamoDbStreamPollerOptions {
  /** The table's DynamoDB (Local) client; the streams client is made for the same endpoint and credentials. */
  dynamoDb: DynamoDBClient;
  tableName: string;
  /** The event source mapping's FilterCriteria patterns: records matching none are dropped, as Lambda does. */
  filterPatterns: readonly FilterPattern[];
  /** The mapping's BatchSize: most records per invocation. */
  batchSize: number;
  /** The mapping's MaximumRetryAttempts: a batch still failing after these is dropped (and logged). */
  maximumRetryAttempts: number;
  /** The function, as Lambda invokes it (a partial batch response resumes from the failed record). */
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** How often an idle shard is read again (default 250 ms: Lambda polls each shard about 4 times a second). */
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

export interface DynamoDbStreamPoller {
  streamArn: string;
  /** Stops polling once the batch in hand is handled. */
  stop(): Promise<void>;
}

const RETRY_DELAY_MS = 200;

/**
 * A local event source mapping for a table's DynamoDB stream, through the DynamoDB Streams API that DynamoDB Local
 * serves (DescribeTable, DescribeStream, GetShardIterator, GetRecords): it reads every shard in order, from the
 * records written after it started, applies the mapping's filter patterns and batch size, and calls the handler
 * with Lambda's DynamoDBStreamEvent. Like Lambda it honours a partial batch response (ReportBatchItemFailures:
 * resume at the failed record), retries a failing batch, and follows shards as they close and new ones open.
 * For dev and tests only.
 */
export async function startDynamoDbStreamPoller(options: DynamoDbStreamPollerOptions): Promise<DynamoDbStreamPoller> {
  const log = options.log ?? (() => {});
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const { dynamoDb, tableName } = options;
  const streamArn = await ensureStream(dynamoDb, tableName, log);
  const config = dynamoDb.config;
  const streams = new DynamoDBStreamsClient({
    region: await config.region(),
    endpoint: config.endpoint ? await config.endpoint() : undefined,
    credentials: await config.credentials(),
  });
  const awsRegion = await config.region();

  /** Shard id → its next iterator; shards read to their end are dropped, shards seen once are never reopened. */
  const iterators = new Map<string, string>();
  const seen = new Set<string>();
  /** The last sequence number read from each shard, so that a shard read again is not delivered twice. */
  const lastDelivered = new Map<string, bigint>();

  async function discoverShards(initial: boolean): Promise<void> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (seen.has(shardId)) continue;
      seen.add(shardId);
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      // Older records were announced, or are stale; a shard opened later is read whole.
      if (initial && closed) continue;
      await openShard(shardId);
      if (initial) await skipToEnd(shardId);
    }
  }

  /**
   * Only what is written from now on: a shard open at start is read to its end without delivering (rather than
   * through a LATEST iterator, which DynamoDB Local answers with TrimmedDataAccessException on an empty shard).
   */
  async function skipToEnd(shardId: string): Promise<void> {
    for (let iterator = iterators.get(shardId); iterator !== undefined;) {
      const { Records = [], NextShardIterator } = await streams
        .send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }))
        .catch((error: unknown) => {
          if (error instanceof TrimmedDataAccessException) return { Records: [], NextShardIterator: iterator };
          throw error;
        });
      const last = Records.at(-1)?.dynamodb?.SequenceNumber;
      if (last !== undefined) lastDelivered.set(shardId, BigInt(last));
      if (NextShardIterator) iterators.set(shardId, NextShardIterator);
      else iterators.delete(shardId);
      iterator = Records.length > 0 ? NextShardIterator : undefined;
    }
  }

  async function openShard(shardId: string): Promise<void> {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    if (ShardIterator) iterators.set(shardId, ShardIterator);
  }

  async function deliver(records: DynamoDBRecord[]): Promise<void> {
    for (let start = 0; start < records.length && !stopped;) {
      let batch = records.slice(start, start + options.batchSize);
      for (let attempt = 0; batch.length > 0; attempt += 1) {
        let failedAt: number;
        try {
          const response = await options.handler({ Records: batch });
          const failure = response?.batchItemFailures?.[0]?.itemIdentifier;
          failedAt =
            failure === undefined ? -1 : batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure);
          // An identifier that names no record of the batch fails it whole, as in Lambda.
          if (failure !== undefined && failedAt < 0) failedAt = 0;
        } catch (error) {
          log(`Stream handler failed (attempt ${attempt + 1}): ${describeError(error)}`);
          failedAt = 0;
        }
        if (failedAt < 0) break;
        if (attempt >= options.maximumRetryAttempts) {
          log(`Dropped ${batch.length - failedAt} stream records after ${attempt + 1} attempts`);
          break;
        }
        batch = batch.slice(failedAt);
        await sleep(RETRY_DELAY_MS);
      }
      start += options.batchSize;
    }
  }

  async function pollShard(shardId: string, iterator: string): Promise<number> {
    let answer;
    try {
      answer = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      // Read again from the shard's beginning; what was delivered is skipped by its sequence number.
      await openShard(shardId);
      return 0;
    }
    const delivered = lastDelivered.get(shardId);
    const records = (answer.Records ?? [])
      .map((record) => lambdaRecord(record, streamArn, awsRegion))
      .filter((record) => delivered === undefined || BigInt(record.dynamodb?.SequenceNumber ?? '0') > delivered);
    const last = answer.Records?.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) lastDelivered.set(shardId, BigInt(last));
    const wanted = records.filter((record) => matchesAnyPattern(record, options.filterPatterns));
    if (wanted.length > 0) await deliver(wanted);
    if (answer.NextShardIterator) iterators.set(shardId, answer.NextShardIterator);
    else iterators.delete(shardId);
    return records.length;
  }

  let stopped = false;
  await discoverShards(true);
  const loop = (async () => {
    let rounds = 0;
    while (!stopped) {
      try {
        // New shards are looked for every 10 rounds (≈1 s), and whenever a shard has closed.
        if (rounds % 10 === 0 || iterators.size === 0) await discoverShards(false);
        rounds += 1;
        let read = 0;
        for (const [shardId, iterator] of [...iterators]) {
          try {
            read += await pollShard(shardId, iterator);
          } catch (error) {
            // E.g. DynamoDB Local restarted: its iterators are void. The shard is found again and read from its
            // beginning, and what was delivered is skipped by sequence number.
            iterators.delete(shardId);
            seen.delete(shardId);
            throw error;
          }
        }
        if (read === 0) await sleep(pollIntervalMs);
      } catch (error) {
        if (stopped) break;
        log(`Stream poller for ${tableName}: ${describeError(error)}`);
        await sleep(1_000);
      }
    }
  })();
  log(`Stream poller on ${tableName} (batch ${options.batchSize}, ${options.filterPatterns.length} filter patterns)`);

  return {
    streamArn,
    async stop() {
      stopped = true;
      await loop;
      streams.destroy();
    },
  };
}

/** The table's stream; a table from an older local run that has none gets it (NEW_AND_OLD_IMAGES). */
async function ensureStream(dynamoDb: DynamoDBClient, tableName: string, log: (line: string) => void): Promise<string> {
  const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn && Table.StreamSpecification?.StreamEnabled) return Table.LatestStreamArn;
  await dynamoDb.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client: dynamoDb, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  log(`Table ${tableName}: stream enabled`);
  const { Table: updated } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  if (!updated?.LatestStreamArn) throw new Error(`Table ${tableName} has no stream`);
  return updated.LatestStreamArn;
}

/** A DynamoDB Streams API record in the shape Lambda delivers it (dates in epoch seconds, the source's ARN). */
function lambdaRecord(record: StreamsRecord, streamArn: string, awsRegion: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}
