import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import { DevIdentityProvider } from './dev-identity-provider.js';
import { startDevIdentityServer } from './dev-identity-server.js';
import { loadOrCreateSigningKey } from './dev-signing-key.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { ensureTables } from './dynamodb-tables.js';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY, localCredentials } from './local-account.js';
import { startS3Emulator } from './s3-emulator.js';
import { startStopwatch } from './stopwatch.js';

export interface LocalCloudOptions {
  /** Where data persists: `<dataDir>/dynamodb`, `<dataDir>/s3`, `<dataDir>/dev-idp`. In memory when absent. */
  dataDir?: string;
  /** Keep nothing, even when a dataDir is given (S3 objects go to a temporary directory removed at stop). */
  inMemory?: boolean;
  /** Created when missing, each with its TableName set. */
  tables: CreateTableCommandInput[];
  bucket: string;
  /** Browser origins allowed to upload to presigned URLs and read objects. Default: any. */
  corsOrigins?: string[];
  log?: (line: string) => void;
  /** DynamoDB Local's own output (the JVM's lines); dropped when absent. */
  dynamoDbOutput?: (line: string) => void;
}

export interface LocalCloud {
  /** Every variable the API needs to use this cloud (credentials included: local-only, and never in code). */
  env: Record<string, string>;
  identity: DevIdentityProvider;
  /** Emits `event` with an S3 notification for every object created or removed. */
  s3Events: EventEmitter;
  /** The absolute data directory, when data persists. */
  dataDir?: string;
  /** An outage for fault tests: DynamoDB Local stops and starts again on the same endpoint (see DynamoDbLocal.restart). */
  restartDynamoDb(): Promise<void>;
  /** Stops every service, in the reverse order of their start. */
  stop(): Promise<void>;
}

interface RunningService {
  stop(): Promise<void>;
}

/** Starts DynamoDB Local, the S3 emulator and the dev identity provider, each on a free loopback port. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => {});
  const elapsed = startStopwatch();
  const dataDir = options.inMemory || !options.dataDir ? undefined : resolve(options.dataDir);
  const underDataDir = (name: string) => (dataDir ? join(dataDir, name) : undefined);
  const running: RunningService[] = [];
  const stopAll = () => stopInReverse(running);

  try {
    const dynamoDb = await startDynamoDbLocal({
      dbPath: underDataDir('dynamodb'),
      log,
      ...(options.dynamoDbOutput ? { output: options.dynamoDbOutput } : {}),
    });
    running.push(dynamoDb);
    await createTables(dynamoDb.endpoint, options.tables, log);

    const s3 = await startS3Emulator({
      directory: underDataDir('s3'),
      bucket: options.bucket,
      corsOrigins: options.corsOrigins ?? ['*'],
      log,
    });
    running.push(s3);

    const signingKey = await loadOrCreateSigningKey(underDataDir('dev-idp'));
    const identityServer = await startDevIdentityServer({ signingKey, log });
    running.push(identityServer);
    const { identity } = identityServer;

    log(`Local cloud ready in ${elapsed()}`);
    let stopping: Promise<void> | undefined;
    return {
      env: {
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
        DYNAMODB_ENDPOINT: dynamoDb.endpoint,
        S3_ENDPOINT: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        IMAGES_BUCKET: options.bucket,
        JWKS_URL: identity.jwksUrl,
        JWT_ISSUER: identity.issuer,
        JWT_AUDIENCE: identity.audience,
      },
      identity,
      s3Events: s3.events,
      dataDir,
      restartDynamoDb: () => dynamoDb.restart(),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function createTables(endpoint: string, tables: CreateTableCommandInput[], log: (line: string) => void) {
  const client = new DynamoDBClient({ region: LOCAL_REGION, endpoint, credentials: localCredentials });
  try {
    await ensureTables(client, tables, log);
  } finally {
    client.destroy();
  }
}

/** Stops every service even when one fails, then reports the failures together. */
async function stopInReverse(services: RunningService[]): Promise<void> {
  const failures: unknown[] = [];
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'Some local cloud services did not stop cleanly');
}
