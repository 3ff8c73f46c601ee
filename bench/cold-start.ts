/**
 * `npm run bench:cold-start`: the cold start of the bundled API handler (dist/lambda/api/index.mjs, as deployed)
 * against a bare Express handler wrapped by the same serverless-express and bundled the same way. Each sample is a
 * fresh `node` process (NODE_OPTIONS=--enable-source-maps, as in Lambda) that loads the bundle and answers its
 * first `GET /groups` (HTTP API event) from DynamoDB Local; the two alternate, ROUNDS times each (default 10).
 * Prints the Node the samples ran on (this process's: through npm, the project's pinned Node, the Lambda runtime),
 * the medians, their ratio (goal ≤ 1.5×) and the bundle sizes (goal ≤ 3 MB). Loopback only, bounded.
 *
 * Side by side in the same alternation: COMPARE_NODE=<path of another node> adds both bundles on that Node (e.g. the
 * machine's /usr/bin/node); COMPILE_CACHE=1 adds the API bundle with Node's on-disk compile cache (NODE_COMPILE_CACHE,
 * filled by one unmeasured run first). The plain samples run without a compile cache, as Lambda starts them.
 */
import { startLocalCloud } from '@dev/local-cloud';
import { fork } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambda } from '../tools/bundle/bundle-lambda.js';
import { artifactPath, bundleDirectory } from '../tools/bundle/lambda-entry-points.js';
import { httpApiEvent, lambdaContext, normalizeResponse } from '../tools/deploy/api-gateway-events.js';
import { udagramCloudResources } from '../tools/local-cloud/udagram-cloud.js';
import { describeNodeRuntime } from '../tools/node-runtime.js';
import type { ColdStartSample } from './cold-start-invocation.js';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const GROUPS = 10;
const SIZE_GOAL_BYTES = 3 * 1024 * 1024;
const RATIO_GOAL = 1.5;
const COMPARE_NODE = process.env.COMPARE_NODE;
const COMPILE_CACHE = process.env.COMPILE_CACHE === '1';

/** One kind of sample: a bundle, on a Node, with an environment. */
interface Variant {
  bundle: string;
  execPath: string;
  env: NodeJS.ProcessEnv;
  samples: ColdStartSample[];
}

// Everything the samples load is copied or bundled into a private folder first, so a `nest build` started
// meanwhile (it empties dist/) cannot pull a bundle from under a run. Inside the repository: the bundle's
// node_modules hold sharp for Lambda's platform, and Node finds this machine's sharp binary further up.
await mkdir('.local', { recursive: true });
const workDirectory = await mkdtemp(join('.local', 'cold-start-'));
await cp(bundleDirectory('api'), join(workDirectory, 'api'), { recursive: true });
const apiBundle = join(workDirectory, 'api', 'index.mjs');
const apiZipBytes = (await stat(artifactPath('api'))).size;
const [bare, invocation] = await Promise.all(
  ['bare-express-lambda', 'cold-start-invocation'].map((name) =>
    bundleLambda({ entry: `dist/bench/${name}.js`, outDir: join(workDirectory, name), workingDirectory: process.cwd() }),
  ),
);

const resources = udagramCloudResources({});
const cloud = await startLocalCloud({ inMemory: true, tables: resources.tables, bucket: resources.bucket });
// Without NODE_COMPILE_CACHE, whatever the calling shell has: Lambda starts every process without one.
const { NODE_COMPILE_CACHE: _ignored, ...callerEnv } = process.env;
const env = { ...callerEnv, ...cloud.env, ...resources.env, NODE_OPTIONS: '--enable-source-maps' };
const variant = (bundle: string, execPath: string, extraEnv: NodeJS.ProcessEnv = {}): Variant => ({
  bundle,
  execPath,
  env: { ...env, ...extraEnv },
  samples: [],
});
const nest = variant(apiBundle, process.execPath);
const baseline = variant(bare.file, process.execPath);
const other = COMPARE_NODE ? { nest: variant(apiBundle, COMPARE_NODE), baseline: variant(bare.file, COMPARE_NODE) } : undefined;
const cached = COMPILE_CACHE ? variant(apiBundle, process.execPath, { NODE_COMPILE_CACHE: resolve(workDirectory, 'compile-cache') }) : undefined;
const variants = [nest, baseline, ...(other ? [other.nest, other.baseline] : []), ...(cached ? [cached] : [])];

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
  for (const sample of variants.flatMap(({ samples }) => samples)) {
    if (sample.statusCode !== 200 || sample.itemCount !== GROUPS) throw new Error(`Unexpected answer: ${JSON.stringify(sample)}`);
  }

  const [apiBytes, bareBytes] = await Promise.all([apiBundle, bare.file].map(async (path) => (await stat(path)).size));
  console.log(`Cold start → first GET /groups (HTTP API event, DynamoDB Local), fresh node process, ${ROUNDS} alternating runs each:`);
  const ratio = printPair(nest, baseline);
  if (other) {
    printPair(other.nest, other.baseline);
    const [here, there] = [nest, other.nest].map(nodeVersion);
    console.log(`  Nest API bundle, ${here} / ${there}: ${(respondedMedian(nest) / respondedMedian(other.nest)).toFixed(2)}×`);
  }
  if (cached) {
    console.log(`  Nest API bundle with a filled compile cache (NODE_COMPILE_CACHE), ${nodeVersion(cached)}: ${describe(cached.samples)}`);
    console.log(`  ratio with/without compile cache: ${(respondedMedian(cached) / respondedMedian(nest)).toFixed(2)}×`);
  }
  console.log(`  goal Nest/bare ≤ ${RATIO_GOAL}× on ${nodeVersion(nest)}: ${ratio <= RATIO_GOAL ? 'met' : 'NOT met'}`);
  console.log(
    `  API bundle size:     ${megabytes(apiBytes)} (zip ${megabytes(apiZipBytes)}; goal ≤ 3 MB: ${apiBytes <= SIZE_GOAL_BYTES ? 'met' : 'NOT met'}); bare Express bundle ${megabytes(bareBytes)}`,
  );
} finally {
  await cloud.stop();
  await rm(workDirectory, { recursive: true, force: true });
}

/** Prints a Node's two medians and their ratio; returns the ratio. */
function printPair(nestVariant: Variant, bareVariant: Variant): number {
  const ratio = respondedMedian(nestVariant) / respondedMedian(bareVariant);
  console.log(`  ${describeNodeRuntime(nodeVersion(nestVariant))}:`);
  console.log(`    Nest API bundle:     ${describe(nestVariant.samples)}`);
  console.log(`    bare Express bundle: ${describe(bareVariant.samples)}`);
  console.log(`    ratio Nest/bare:     ${ratio.toFixed(2)}×`);
  return ratio;
}

/** The Node version the samples reported (not assumed from the path they were started with). */
function nodeVersion({ samples }: Variant): string {
  const versions = [...new Set(samples.map((sample) => sample.nodeVersion))];
  if (versions.length !== 1) throw new Error(`Samples ran on several Nodes: ${versions.join(', ')}`);
  return versions[0]!;
}

function respondedMedian({ samples }: Variant): number {
  return median(samples.map((sample) => sample.respondedMs));
}

async function seedGroups(): Promise<void> {
  // Through the bundled API itself, in this process: the samples then read exactly what the API wrote.
  Object.assign(process.env, cloud.env, resources.env);
  const { handler } = (await import(pathToFileURL(resolve(apiBundle)).href)) as typeof import('../apps/api/src/lambda.js');
  const token = await cloud.identity.mintToken('bench');
  for (let index = 0; index < GROUPS; index += 1) {
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = normalizeResponse(await handler(httpApiEvent({ method: 'POST', path: '/groups', headers, body: { name: `Bench ${index}` } }), lambdaContext()));
    if (created.statusCode !== 201) throw new Error(`Seeding failed: ${created.statusCode} ${created.body}`);
  }
}

function coldStart({ bundle, execPath, env: sampleEnv }: Variant): Promise<ColdStartSample> {
  return new Promise((resolve, reject) => {
    const child = fork(invocation.file, [bundle], { execPath, env: sampleEnv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], timeout: 60_000 });
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
  return `median ${median(responded).toFixed(0)} ms (bundle loaded at ${loaded.toFixed(0)} ms; runs ${responded.map((ms) => ms.toFixed(0)).join(', ')})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
