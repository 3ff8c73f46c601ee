import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { LOCAL_REGION, localCredentials } from './local-account.js';

// Java takes 1–12 s to answer on two busy cores.
const JAVA_TIMEOUT_MS = 30_000;

async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\S+ \(.*\) [ZX]/.test(stat);
}

describe('startDynamoDbLocal', () => {
  let dynamoDb: DynamoDbLocal;
  let client: DynamoDBClient;
  const lines: string[] = [];

  beforeAll(async () => {
    dynamoDb = await startDynamoDbLocal({ log: (line) => lines.push(line) });
    client = new DynamoDBClient({ region: LOCAL_REGION, endpoint: dynamoDb.endpoint, credentials: localCredentials });
  }, JAVA_TIMEOUT_MS);

  afterAll(async () => {
    client?.destroy();
    await dynamoDb?.stop();
  });

  it('answers on a loopback port once started, and says how long it took', async () => {
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    expect(dynamoDb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toEqual([expect.stringMatching(/^DynamoDB Local on http:\/\/127\.0\.0\.1:\d+ \(in memory\) ready in \d+\.\d s$/)]);
  });

  it('shares one database between access keys and regions', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'shared',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const other = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: dynamoDb.endpoint,
      // DynamoDB Local refuses access key ids that are not plain letters and digits.
      credentials: { accessKeyId: 'SomeoneElse', secretAccessKey: 'x' },
    });

    await expect(other.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: ['shared'] });
    other.destroy();
  });

  it('leaves no Java process once stopped', async () => {
    const started = await startDynamoDbLocal({ log: () => {} });
    expect(await isRunning(started.pid)).toBe(true);

    await started.stop();

    expect(await isRunning(started.pid)).toBe(false);
    const probe = new DynamoDBClient({ region: LOCAL_REGION, endpoint: started.endpoint, credentials: localCredentials, maxAttempts: 1 });
    await expect(probe.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    probe.destroy();
  }, JAVA_TIMEOUT_MS);
});
