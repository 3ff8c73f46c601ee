// `npm run bench:classifier`: classifier-cpp (OpenCV DNN, Caffe SqueezeNet) against Node (onnxruntime-node with
// the ONNX export of the same network, sharp for decoding), same images, in one run with the sides alternating:
//   warm — the full handler path per image, RUNS runs per side (default 50) in WARM_BLOCKS alternating processes;
//   cold — COLD_RUNS fresh custom-runtime processes per side (default 5): spawn → first label posted;
//   both at 1 and at 2 threads (CLASSIFIER_THREADS=N measures N only).
// Prints the table and the goals; exits 1 when the sides disagree on a top-1 label. Not a test: no timed assertions.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readBenchSettings } from './bench-settings.mjs';
import { installDependenciesIfNeeded } from './install-dependencies.mjs';
import { measureColdStart, runWarmBench } from './measure.mjs';
import { printReport } from './report.mjs';
import { startRuntimeApiStub } from './runtime-api-stub.mjs';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const settings = readBenchSettings(process.env, repositoryRoot);
const environment = { ...process.env, ...settings.modelEnvironment };
const script = (name) => fileURLToPath(new URL(name, import.meta.url));
const sides = {
  cpp: {
    warm: [`${repositoryRoot}classifier-cpp/build/classify-bench`],
    cold: [`${repositoryRoot}classifier-cpp/build/bootstrap`],
  },
  node: {
    warm: [process.execPath, script('node-classify-bench.mjs')],
    cold: [process.execPath, script('node-bootstrap.mjs')],
  },
};

const build = spawnSync('bash', [`${repositoryRoot}classifier-cpp/build.sh`], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('classifier-cpp/build.sh failed');
if (installDependenciesIfNeeded()) console.log('bench/classifier: installed onnxruntime-node and sharp');

const loadBefore = loadavg();
const blocks = Math.min(settings.warmBlocks, settings.runs);
const runsPerBlock = Math.ceil(settings.runs / blocks);
const coldEvent = JSON.stringify({ imageBase64: readFileSync(settings.images[0]).toString('base64') });
const runtimeApi = await startRuntimeApiStub();
const results = [];
try {
  for (const threads of settings.threadCounts) {
    const threadEnvironment = { ...environment, CLASSIFIER_THREADS: String(threads) };
    const warm = { cpp: [], node: [] };
    for (let block = 0; block < blocks; block += 1) {
      // Alternating which side goes first, so a drift in the machine's load falls on both alike.
      for (const side of block % 2 === 0 ? ['cpp', 'node'] : ['node', 'cpp']) {
        console.log(`${threads} thread(s), warm block ${block + 1}/${blocks}: ${side}`);
        const args = ['--runs', String(runsPerBlock), ...settings.images];
        warm[side].push(await runWarmBench(sides[side].warm, args, threadEnvironment));
      }
    }
    const cold = { cpp: [], node: [] };
    for (let round = 0; round < settings.coldRuns; round += 1) {
      for (const side of round % 2 === 0 ? ['cpp', 'node'] : ['node', 'cpp']) {
        console.log(`${threads} thread(s), cold start ${round + 1}/${settings.coldRuns}: ${side}`);
        cold[side].push(await measureColdStart(sides[side].cold, threadEnvironment, runtimeApi, coldEvent));
      }
    }
    results.push({ threads, warm, cold });
  }
} finally {
  await runtimeApi.close();
}

const load = { before: loadBefore, after: loadavg() };
const agreed = printReport({ settings, results, runsPerBlock, blocks, load });
process.exitCode = agreed ? 0 : 1;
