// `npm run bench:classifier`: classifier-cpp (OpenCV DNN, Caffe SqueezeNet) against Node (onnxruntime-node with
// the ONNX export of the same network, sharp for decoding), same images, in one run with the sides alternating:
//   warm — the full handler path per image, RUNS runs per side (default 50) in WARM_BLOCKS alternating processes;
//   cold — COLD_RUNS fresh custom-runtime processes per side (default 5): spawn → first label posted.
// Prints the table and the goals; exits 1 when the sides disagree on a top-1 label. Not a test: no timed assertions.
// The Node side runs on this process's Node (through npm, the project's pinned one, the Lambda runtime); with
// COMPARE_NODE=<path of another node> a third side runs the same Node code on that one, in the same alternation.
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
const compareNode = process.env.COMPARE_NODE;
if (compareNode) {
  sides.otherNode = { warm: [compareNode, script('node-classify-bench.mjs')], cold: [compareNode, script('node-bootstrap.mjs')] };
}
const sideNames = Object.keys(sides);
// A different side first each block or round, so a drift in the machine's load falls on all alike.
const rotated = (turn) => sideNames.map((_, index) => sideNames[(turn + index) % sideNames.length]);

const build = spawnSync('bash', [`${repositoryRoot}classifier-cpp/build.sh`], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('classifier-cpp/build.sh failed');
if (installDependenciesIfNeeded()) console.log('bench/classifier: installed onnxruntime-node and sharp');

const loadBefore = loadavg();
const blocks = Math.min(settings.warmBlocks, settings.runs);
const runsPerBlock = Math.ceil(settings.runs / blocks);
const warm = Object.fromEntries(sideNames.map((side) => [side, []]));
for (let block = 0; block < blocks; block += 1) {
  for (const side of rotated(block)) {
    console.log(`warm block ${block + 1}/${blocks}: ${side}`);
    const args = ['--runs', String(runsPerBlock), ...settings.images];
    warm[side].push(await runWarmBench(sides[side].warm, args, environment));
  }
}

const coldEvent = JSON.stringify({ imageBase64: readFileSync(settings.images[0]).toString('base64') });
const runtimeApi = await startRuntimeApiStub();
const cold = Object.fromEntries(sideNames.map((side) => [side, []]));
try {
  for (let round = 0; round < settings.coldRuns; round += 1) {
    for (const side of rotated(round)) {
      console.log(`cold start ${round + 1}/${settings.coldRuns}: ${side}`);
      cold[side].push(await measureColdStart(sides[side].cold, environment, runtimeApi, coldEvent));
    }
  }
} finally {
  await runtimeApi.close();
}

const load = { before: loadBefore, after: loadavg() };
const agreed = printReport({ settings, warm, cold, runsPerBlock, blocks, load });
process.exitCode = agreed ? 0 : 1;
