/**
 * `npm run bench:cold-start`: the cold start of each bundled Node.js function (dist/lambda/<function>/index.mjs, as
 * deployed) to its first handled event. Each sample is a fresh `node` process (no NODE_OPTIONS, as serverless.ts
 * deploys the functions) that loads the bundle and answers one event against DynamoDB Local; all variants alternate, ROUNDS times
 * each (default 10). Rows:
 * - the API's first `GET /groups` (HTTP API event) against a bare Express handler wrapped by the same
 *   serverless-express and bundled the same way (goal ≤ 1.5×);
 * - the WebSocket function's `$connect` against a bare handler making the same DynamoDB write;
 * - the classification and thumbnail workers' first SQS record and the notifier's first stream record (no bare
 *   baseline: a hand-written worker would be a different program, not the same work without Nest).
 * Prints the Node the samples ran on (this process's: through npm, the project's pinned Node, the Lambda runtime),
 * the medians of wall time and of CPU time (which the other processes of a shared machine disturb far less), their
 * ratios and the API bundle's size (goal ≤ 3 MB). Loopback only, bounded.
 *
 * Side by side in the same alternation: COMPARE_NODE=<path of another node> adds the API pair on that Node (e.g. the
 * machine's /usr/bin/node); COMPILE_CACHE=1 adds the API bundle with Node's on-disk compile cache (NODE_COMPILE_CACHE,
 * filled by one unmeasured run first). The plain samples run without a compile cache, as Lambda starts them.
 * COMPARE_API=<folder of another API bundle> (its index.mjs and map, e.g. one built before a change) adds that bundle
 * to the alternation with its ratio to this one; API_ONLY=1 leaves out the rows of the other functions; PROFILE_DIR=<dir>
 * writes a V8 CPU profile of every sample (`--cpu-prof`, 100 µs interval) under <dir>/<bundle folder>.
 */
import { startLocalCloud } from '@dev/local-cloud';
import { fork } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambda } from '../tools/bundle/bundle-lambda.js';
import { artifactPath, bundleDirectory, type NodeFunctionName } from '../tools/bundle/lambda-entry-points.js';
import { httpApiEvent, lambdaContext, normalizeResponse } from '../tools/deploy/api-gateway-events.js';
import { udagramCloudResources } from '../tools/local-cloud/udagram-cloud.js';
import { describeNodeRuntime } from '../tools/node-runtime.js';
import type { ColdStartEvent, ColdStartSample } from './cold-start-invocation.js';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const GROUPS = 10;
const SIZE_GOAL_BYTES = 3 * 1024 * 1024;
const RATIO_GOAL = 1.5;
const COMPARE_NODE = process.env.COMPARE_NODE;
const COMPILE_CACHE = process.env.COMPILE_CACHE === '1';
const COMPARE_API = process.env.COMPARE_API;
const API_ONLY = process.env.API_ONLY === '1';
const PROFILE_DIRECTORY = process.env.PROFILE_DIR ? resolve(process.env.PROFILE_DIR) : undefined;

/** One kind of sample: a bundle, its first event, on a Node, with an environment. */
interface Variant {
  bundle: string;
  event: ColdStartEvent;
  /** The answer every sample must give (else the bench measured a failure). */
  expected: string;
  execPath: string;
  env: NodeJS.ProcessEnv;
  samples: ColdStartSample[];
}

// Everything the samples load is copied or bundled into a private folder first, so a `nest build` started
// meanwhile (it empties dist/) cannot pull a bundle from under a run. Inside the repository: the workers' bundles'
// node_modules hold sharp for Lambda's platform, and Node finds this machine's sharp binary further up.
await mkdir('.local', { recursive: true });
const workDirectory = await mkdtemp(join('.local', 'cold-start-'));
const FUNCTIONS: NodeFunctionName[] = ['api', 'classificationWorker', 'thumbnailWorker', 'notifier', 'websocket'];
await Promise.all(FUNCTIONS.map((name) => cp(bundleDirectory(name), join(workDirectory, name), { recursive: true })));
if (COMPARE_API) await cp(COMPARE_API, join(workDirectory, 'compared-api'), { recursive: true });
const deployed = (name: NodeFunctionName) => join(workDirectory, name, 'index.mjs');
const apiZipBytes = (await stat(artifactPath('api'))).size;
const [bare, minimalNest, bareWebSocket, invocation] = await Promise.all(
  ['bare-express-lambda', 'cold-start-minimal-nest', 'cold-start-bare-websocket', 'cold-start-invocation'].map((name) =>
    bundleLambda({
      entry: `dist/bench/${name}.js`,
      outDir: join(workDirectory, name),
      workingDirectory: process.cwd(),
    }),
  ),
);

const resources = udagramCloudResources({});
const cloud = await startLocalCloud({ inMemory: true, tables: resources.tables, bucket: resources.bucket });
// Without NODE_COMPILE_CACHE, whatever the calling shell has: Lambda starts every process without one.
const { NODE_COMPILE_CACHE: _ignored, ...callerEnv } = process.env;
const env = {
  ...callerEnv,
  ...cloud.env,
  ...resources.env,
  // The notifier posts only to watched groups; the bench's group has no watcher, so nothing listens here.
  WEBSOCKET_MANAGEMENT_ENDPOINT: 'http://127.0.0.1:9/bench',
  NODE_OPTIONS: '',
};
const variant = (
  bundle: string,
  event: ColdStartEvent,
  expected: string,
  execPath = process.execPath,
  extraEnv = {},
): Variant => ({
  bundle,
  event,
  expected,
  execPath,
  env: { ...env, ...extraEnv },
  samples: [],
});
const FIRST_PAGE = `200 ${GROUPS} items`;
const NO_FAILURES = '0 batch item failures';
const nest = variant(deployed('api'), 'http', FIRST_PAGE);
const baseline = variant(bare.file, 'http', FIRST_PAGE);
const minimal = variant(minimalNest.file, 'http', FIRST_PAGE);
/** Each row: a function's bundle and, where one makes sense, the bare handler doing the same work. */
const allRows: { title: string; nest: Variant; bare?: Variant }[] = [
  { title: 'API, first GET /groups', nest, bare: baseline },
  {
    title: 'WebSocket, first $connect',
    nest: variant(deployed('websocket'), 'websocket', '200'),
    bare: variant(bareWebSocket.file, 'websocket', '200'),
  },
  {
    title: 'classification worker, first SQS record',
    nest: variant(deployed('classificationWorker'), 'classification', NO_FAILURES),
  },
  { title: 'thumbnail worker, first SQS record', nest: variant(deployed('thumbnailWorker'), 'thumbnail', NO_FAILURES) },
  { title: 'notifier, first stream record', nest: variant(deployed('notifier'), 'notifier', NO_FAILURES) },
];
const rows = API_ONLY ? allRows.filter((row) => row.nest === nest) : allRows;
const other = COMPARE_NODE
  ? {
      nest: variant(nest.bundle, 'http', FIRST_PAGE, COMPARE_NODE),
      baseline: variant(bare.file, 'http', FIRST_PAGE, COMPARE_NODE),
    }
  : undefined;
const cached = COMPILE_CACHE
  ? variant(nest.bundle, 'http', FIRST_PAGE, process.execPath, {
      NODE_COMPILE_CACHE: resolve(workDirectory, 'compile-cache'),
    })
  : undefined;
const compared = COMPARE_API
  ? variant(join(workDirectory, 'compared-api', 'index.mjs'), 'http', FIRST_PAGE)
  : undefined;
const variants = [
  ...rows.flatMap((row) => (row.bare ? [row.nest, row.bare] : [row.nest])),
  ...(other ? [other.nest, other.baseline] : []),
  ...(cached ? [cached] : []),
  ...(compared ? [compared] : []),
  minimal,
];

try {
  await seedGroups();
  if (cached) await coldStart(cached); // fills the compile cache; not measured
  for (let round = 0; round < ROUNDS; round += 1) {
    // A different variant first each round, so a drift in the machine's load falls on all alike.
    for (let index = 0; index < variants.length; index += 1) {
      const next = variants[(round + index) % variants.length]!;
      next.samples.push(await coldStart(next));
    }
  }
  for (const { bundle, expected, samples } of variants) {
    const wrong = samples.find((sample) => sample.answer !== expected);
    if (wrong) throw new Error(`${bundle} answered ${wrong.answer}, not ${expected}: ${JSON.stringify(wrong)}`);
  }

  const [apiBytes, bareBytes] = await Promise.all(
    [nest.bundle, bare.file].map(async (path) => (await stat(path)).size),
  );
  console.log(
    `Cold start → first handled event (DynamoDB Local), fresh node process, ${ROUNDS} alternating runs each,`,
  );
  console.log(`on ${describeNodeRuntime(nodeVersion(nest))}; wall time (CPU time):`);
  let ratio = Number.NaN;
  for (const row of rows) {
    const rowRatio = printRow(row.title, row.nest, row.bare);
    if (row.nest === nest) ratio = rowRatio;
  }
  if (other) {
    printRow(`API on ${describeNodeRuntime(nodeVersion(other.nest))}`, other.nest, other.baseline);
    const [here, there] = [nest, other.nest].map(nodeVersion);
    const nodeRatio = median(wallTimes(nest)) / median(wallTimes(other.nest));
    console.log(`  Nest API bundle, ${here} / ${there}: ${nodeRatio.toFixed(2)}×`);
  }
  if (cached) {
    console.log(
      `  API with a filled compile cache (NODE_COMPILE_CACHE), ${nodeVersion(cached)}: ${describe(cached.samples)}`,
    );
    console.log(`    ratio with/without compile cache: ${ratios(cached, nest)}`);
  }
  console.log(`  minimal Nest application, same GET /groups: ${describe(minimal.samples)}`);
  console.log(`    ratio minimal Nest/bare: ${ratios(minimal, baseline)}; API/minimal Nest: ${ratios(nest, minimal)}`);
  if (compared) {
    console.log(`  API bundle of ${COMPARE_API}: ${describe(compared.samples)}`);
    console.log(`    ratio this/that API bundle: ${ratios(nest, compared)}`);
  }
  const met = (goalMet: boolean) => (goalMet ? 'met' : 'NOT met');
  console.log(`  goal API Nest/bare ≤ ${RATIO_GOAL}× (wall) on ${nodeVersion(nest)}: ${met(ratio <= RATIO_GOAL)}`);
  const zip = `zip ${megabytes(apiZipBytes)}`;
  console.log(
    `  API bundle size: ${megabytes(apiBytes)} (${zip}; goal ≤ 3 MB: ${met(apiBytes <= SIZE_GOAL_BYTES)}); ` +
      `bare Express bundle ${megabytes(bareBytes)}`,
  );
} finally {
  await cloud.stop();
  await rm(workDirectory, { recursive: true, force: true });
}

/** Prints a row's medians and, with a baseline, their ratios; returns the wall-time ratio (NaN without one). */
function printRow(title: string, nestVariant: Variant, bareVariant?: Variant): number {
  console.log(`  ${title}:`);
  console.log(`    Nest bundle: ${describe(nestVariant.samples)}`);
  if (bareVariant === undefined) return Number.NaN;
  console.log(`    bare bundle: ${describe(bareVariant.samples)}`);
  console.log(`    ratio Nest/bare: ${ratios(nestVariant, bareVariant)}`);
  return median(wallTimes(nestVariant)) / median(wallTimes(bareVariant));
}

function ratios(numerator: Variant, denominator: Variant): string {
  const wall = median(wallTimes(numerator)) / median(wallTimes(denominator));
  const cpu = median(cpuTimes(numerator)) / median(cpuTimes(denominator));
  return `${wall.toFixed(2)}× (CPU ${cpu.toFixed(2)}×)`;
}

/** The Node version the samples reported (not assumed from the path they were started with). */
function nodeVersion({ samples }: Variant): string {
  const versions = [...new Set(samples.map((sample) => sample.nodeVersion))];
  if (versions.length !== 1) throw new Error(`Samples ran on several Nodes: ${versions.join(', ')}`);
  return versions[0]!;
}

function wallTimes({ samples }: Variant): number[] {
  return samples.map((sample) => sample.respondedMs);
}

function cpuTimes({ samples }: Variant): number[] {
  return samples.map((sample) => sample.cpuMs);
}

async function seedGroups(): Promise<void> {
  // Through the bundled API itself, in this process: the samples then read exactly what the API wrote.
  Object.assign(process.env, cloud.env, resources.env);
  const { handler } = (await import(
    pathToFileURL(resolve(nest.bundle)).href
  )) as typeof import('../apps/api/src/lambda.js');
  const token = await cloud.identity.mintToken('bench');
  for (let index = 0; index < GROUPS; index += 1) {
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = normalizeResponse(
      await handler(
        httpApiEvent({ method: 'POST', path: '/groups', headers, body: { name: `Bench ${index}` } }),
        lambdaContext(),
      ),
    );
    if (created.statusCode !== 201) throw new Error(`Seeding failed: ${created.statusCode} ${created.body}`);
  }
}

function coldStart({ bundle, event, execPath, env: sampleEnv }: Variant): Promise<ColdStartSample> {
  return new Promise((resolve, reject) => {
    const child = fork(invocation.file, [bundle, event], {
      execPath,
      execArgv: PROFILE_DIRECTORY
        ? [
            '--cpu-prof',
            '--cpu-prof-interval',
            '100',
            '--cpu-prof-dir',
            join(PROFILE_DIRECTORY, basename(dirname(bundle))),
          ]
        : [],
      env: sampleEnv,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      timeout: 60_000,
    });
    child.once('message', (sample) => resolve(sample as ColdStartSample));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${bundle}: the cold-start process exited with ${code}`));
    });
  });
}

function describe(samples: ColdStartSample[]): string {
  const loaded = median(samples.map((sample) => sample.loadedMs));
  const responded = samples.map((sample) => sample.respondedMs);
  const cpu = median(samples.map((sample) => sample.cpuMs));
  const runs = responded.map((ms) => ms.toFixed(0)).join(', ');
  const medians = `median ${median(responded).toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms`;
  return `${medians}; loaded at ${loaded.toFixed(0)} ms; runs ${runs})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
