import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { LOCAL_REGION, localCredentials } from './local-account.js';

// Java takes 1–12 s to answer on two busy cores.
const JAVA_TIMEOUT_MS = 30_000;

const notesTable: CreateTableCommandInput = {
  TableName: 'notes',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
};

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
    expect(lines).toEqual([
      expect.stringMatching(/^DynamoDB Local on http:\/\/127\.0\.0\.1:\d+ \(in memory\) ready in \d+\.\d s$/),
    ]);
  });

  it('shares one database between access keys and regions', async () => {
    await client.send(new CreateTableCommand({ ...notesTable, TableName: 'shared' }));
    const other = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: dynamoDb.endpoint,
      // DynamoDB Local refuses access key ids that are not plain letters and digits.
      credentials: { accessKeyId: 'SomeoneElse', secretAccessKey: 'x' },
    });

    await expect(other.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: ['shared'] });
    other.destroy();
  });

  it(
    'leaves no Java process once stopped',
    async () => {
      const started = await startDynamoDbLocal({ log: () => {} });
      expect(await isRunning(started.pid)).toBe(true);

      await started.stop();

      expect(await isRunning(started.pid)).toBe(false);
      const probe = new DynamoDBClient({
        region: LOCAL_REGION,
        endpoint: started.endpoint,
        credentials: localCredentials,
        maxAttempts: 1,
      });
      await expect(probe.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED/);
      probe.destroy();
    },
    JAVA_TIMEOUT_MS,
  );

  it(
    'restarts on the same endpoint with its data, after an outage in which nothing answers',
    async () => {
      const dbPath = await mkdtemp(join(tmpdir(), 'dynamodb-local-spec-'));
      const restartLines: string[] = [];
      const persisted = await startDynamoDbLocal({ dbPath, log: (line) => restartLines.push(line) });
      const persistedClient = new DynamoDBClient({
        region: LOCAL_REGION,
        endpoint: persisted.endpoint,
        credentials: localCredentials,
      });
      try {
        await persistedClient.send(new CreateTableCommand(notesTable));
        await persistedClient.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: 'kept' } } }));
        const firstPid = persisted.pid;
        const probe = new DynamoDBClient({
          region: LOCAL_REGION,
          endpoint: persisted.endpoint,
          credentials: localCredentials,
          maxAttempts: 1,
        });

        const restarting = persisted.restart();
        await vi.waitFor(async () => expect(await isRunning(firstPid)).toBe(false), { timeout: JAVA_TIMEOUT_MS });
        await expect(probe.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
        await restarting;
        probe.destroy();

        expect(persisted.pid).not.toBe(firstPid);
        expect(await isRunning(persisted.pid)).toBe(true);
        await expect(
          persistedClient.send(new GetItemCommand({ TableName: 'notes', Key: { id: { S: 'kept' } } })),
        ).resolves.toMatchObject({ Item: { id: { S: 'kept' } } });
        expect(restartLines.at(-1)).toMatch(/^DynamoDB Local restarted on http:\/\/127\.0\.0\.1:\d+ in \d+\.\d s$/);
        expect(restartLines.at(-1)).toContain(persisted.endpoint);
      } finally {
        persistedClient.destroy();
        await persisted.stop();
        await rm(dbPath, { recursive: true, force: true });
      }
    },
    3 * JAVA_TIMEOUT_MS,
  );
});
