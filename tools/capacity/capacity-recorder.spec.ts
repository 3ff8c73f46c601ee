import { describe, expect, it } from 'vitest';
import { CapacityRecorder } from './capacity-recorder.js';
import { tableSchema } from './table-schemas.js';

const table = tableSchema({
  TableName: 'images',
  KeySchema: [
    { AttributeName: 'groupId', KeyType: 'HASH' },
    { AttributeName: 'timestampId', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byImageIdKey',
      KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byUnfinishedStatus',
      KeySchema: [
        { AttributeName: 'unfinishedStatus', KeyType: 'HASH' },
        { AttributeName: 'timestampId', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
});

const key = { groupId: { S: 'g1' }, timestampId: { S: 't#i1' } };
const pending = { ...key, imageId: { S: 'i1' }, unfinishedStatus: { S: 'PENDING' }, title: { S: 'x'.repeat(1500) } };
const classified = { ...key, imageId: { S: 'i1' }, title: { S: 'x'.repeat(1500) }, classLabel: { S: 'tabby' } };

/** Sends one request through the recorder's middleware with the table holding `before`, then `after`. */
async function record(operation: string, input: Record<string, unknown>, before: unknown, after: unknown) {
  const states = [before, after];
  const inspector = { send: async () => ({ Item: states.shift() }) };
  const recorder = new CapacityRecorder([table], inspector as never);
  let middleware: any;
  recorder.attach({ middlewareStack: { add: (added: unknown) => void (middleware = added) } });
  recorder.during('upload');
  const request = { headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` }, body: JSON.stringify(input) };
  await middleware(async () => ({ output: {} }), {})({ request });
  return { recorded: recorder.requests[0]!, sent: JSON.parse(request.body) };
}

describe('CapacityRecorder', () => {
  it('charges a transactional put 2 WCU per KB and derives the index entries its item enters', async () => {
    const { recorded, sent } = await record(
      'TransactWriteItems',
      { TransactItems: [{ Put: { TableName: 'images', Item: pending } }] },
      undefined,
      pending,
    );

    expect(sent.ReturnConsumedCapacity).toBe('INDEXES');
    expect(recorded).toMatchObject({ step: 'upload', transactional: true });
    expect(recorded.charges.map(({ key: where, writeUnits }) => [where, writeUnits])).toEqual([
      ['images/-/g1', 4],
      ['images/byImageIdKey/i1', 1],
      ['images/byUnfinishedStatus/PENDING', 1],
    ]);
  });

  it('charges an update on the larger item, and an index only when the entry leaves it (keys-only entries do not change)', async () => {
    const { recorded } = await record('UpdateItem', { TableName: 'images', Key: key }, pending, classified);

    expect(recorded.charges.map(({ key: where, writeUnits }) => [where, writeUnits])).toEqual([
      ['images/-/g1', 2],
      ['images/byUnfinishedStatus/PENDING', 1],
    ]);
  });

  it('charges a query 0.5 RCU per 4 KB of its result at its partition', async () => {
    const states: unknown[] = [];
    const recorder = new CapacityRecorder([table], { send: async () => ({ Item: states.shift() }) } as never);
    let middleware: any;
    recorder.attach({ middlewareStack: { add: (added: unknown) => void (middleware = added) } });
    recorder.during('hot-group-page');
    const input = {
      TableName: 'images',
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': 'groupId' },
      ExpressionAttributeValues: { ':g': { S: 'g1' } },
    };
    const request = { headers: { 'x-amz-target': 'DynamoDB_20120810.Query' }, body: JSON.stringify(input) };

    await middleware(async () => ({ output: { Items: Array.from({ length: 6 }, () => classified) } }), {})({ request });

    expect(recorder.requests[0]!.charges).toEqual([
      expect.objectContaining({ key: 'images/-/g1', readUnits: 1.5, writeUnits: 0 }),
    ]);
  });
});
