import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { injectDynamoDbFaults, withholdKeys } from './dynamodb-fault-injection.js';

/** A DynamoDB that answers every request with `answer(target, body)`, recording what reached it. */
function fakeDynamoDb(answer: (target: string, body: Record<string, unknown>) => object) {
  const received: { target: string; body: Record<string, unknown> }[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // Three attempts, without the back-off between them: a test of many throttled requests stays fast.
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
        const target = request.headers['x-amz-target']!.split('.')[1]!;
        const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        const body = JSON.parse(text) as Record<string, unknown>;
        received.push({ target, body });
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(answer(target, body)))]),
          },
        };
      },
    } as never,
  });
  return { documentClient: DynamoDBDocumentClient.from(client), received };
}

describe('injectDynamoDbFaults', () => {
  it('throttles inside the SDK’s retry loop, at most once per request, so the retry reaches DynamoDB', async () => {
    const { documentClient, received } = fakeDynamoDb(() => ({ Item: { id: { S: 'g1' } } }));
    const counts = injectDynamoDbFaults(documentClient, { rate: 0.99, seed: 1 });

    const { Item } = await documentClient.send(new GetCommand({ TableName: 'groups', Key: { id: 'g1' } }));

    expect(Item).toEqual({ id: 'g1' });
    expect(counts).toEqual({ throttled: 1, conflicts: 0, unprocessedBatches: 0 });
    expect(received).toHaveLength(1);
  });

  it('cancels a transaction with a TransactionConflict reason on one item, before it reaches DynamoDB', async () => {
    const { documentClient, received } = fakeDynamoDb(() => ({}));
    const counts = injectDynamoDbFaults(documentClient, { rate: 0.99, seed: 1 });
    const transaction = new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'images', Item: { groupId: 'g1', timestampId: 't1' } } },
        {
          Update: {
            TableName: 'groups',
            Key: { id: 'g1' },
            UpdateExpression: 'ADD imageCount :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
    });

    const error = await documentClient.send(transaction).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'TransactionConflict',
    ]);
    expect(counts.conflicts).toBe(1);
    expect(received.filter((request) => request.target === 'TransactWriteItems')).toEqual([]);
  });

  it('leaves some of a BatchGet’s keys unprocessed, asking DynamoDB only for the others', async () => {
    const { documentClient, received } = fakeDynamoDb((_target, body) => {
      const keys = (body.RequestItems as Record<string, { Keys: object[] }>).images!.Keys;
      return { Responses: { images: keys }, UnprocessedKeys: {} };
    });
    const counts = injectDynamoDbFaults(documentClient, { rate: 0.99, seed: 3 });
    const keys = ['a', 'b', 'c', 'd'].map((id) => ({ groupId: 'g1', timestampId: id }));

    const output = await documentClient.send(new BatchGetCommand({ RequestItems: { images: { Keys: keys } } }));

    const answered = output.Responses?.images ?? [];
    const unprocessed = output.UnprocessedKeys?.images?.Keys ?? [];
    expect(counts.unprocessedBatches).toBe(1);
    expect(unprocessed.length).toBeGreaterThan(0);
    expect([...answered, ...unprocessed]).toEqual(keys);
    expect(received.length).toBe(answered.length > 0 ? 1 : 0);
  });

  it('faults the same BatchGets of a run however many other requests came between them', async () => {
    const batchGetFaults = async (otherRequestsFirst: number) => {
      const { documentClient } = fakeDynamoDb((target, body) =>
        target === 'BatchGetItem'
          ? { Responses: { images: (body.RequestItems as Record<string, { Keys: object[] }>).images!.Keys } }
          : { Item: { id: { S: 'g1' } } },
      );
      const counts = injectDynamoDbFaults(documentClient, { rate: 0.3, seed: 5 });
      const keys = ['a', 'b'].map((id) => ({ groupId: 'g1', timestampId: id }));
      const faultedAt: number[] = [];
      for (let index = 0; index < 20; index += 1) {
        for (let other = 0; other < otherRequestsFirst; other += 1) {
          await documentClient.send(new GetCommand({ TableName: 'groups', Key: { id: 'g1' } }));
        }
        const before = counts.unprocessedBatches;
        await documentClient.send(new BatchGetCommand({ RequestItems: { images: { Keys: keys } } }));
        if (counts.unprocessedBatches > before) faultedAt.push(index);
      }
      return faultedAt;
    };

    const alone = await batchGetFaults(0);

    expect(alone.length).toBeGreaterThan(0);
    await expect(batchGetFaults(3)).resolves.toEqual(alone);
  });

  it('injects nothing at rate 0 and refuses a rate outside [0, 1)', async () => {
    const { documentClient, received } = fakeDynamoDb(() => ({ Item: { id: { S: 'g1' } } }));
    const counts = injectDynamoDbFaults(documentClient, { rate: 0, seed: 1 });

    await documentClient.send(new GetCommand({ TableName: 'groups', Key: { id: 'g1' } }));

    expect(counts).toEqual({ throttled: 0, conflicts: 0, unprocessedBatches: 0 });
    expect(received).toHaveLength(1);
    expect(() => injectDynamoDbFaults(documentClient, { rate: 1, seed: 1 })).toThrow(
      'The fault rate must be in [0, 1): 1',
    );
  });
});

describe('withholdKeys', () => {
  const keys = [{ id: { S: 'a' } }, { id: { S: 'b' } }, { id: { S: 'c' } }];

  it('keeps a prefix and withholds the rest, at least one key', () => {
    expect(withholdKeys({ RequestItems: { t: { Keys: keys } } }, () => 0.5)).toEqual({
      kept: { RequestItems: { t: { Keys: keys.slice(0, 1) } } },
      withheld: { t: { Keys: keys.slice(1) } },
    });
    expect(withholdKeys({ RequestItems: { t: { Keys: keys } } }, () => 0)).toEqual({
      kept: undefined,
      withheld: { t: { Keys: keys } },
    });
  });
});
