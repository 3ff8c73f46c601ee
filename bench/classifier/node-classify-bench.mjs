// The Node twin of classifier-cpp's classify-bench, with the same command line and the same JSON line out:
//   node bench/classifier/node-classify-bench.mjs [--runs N] IMAGE...
// For each image: the base64 event is built once, handled once, 3 times as warm-up, then N timed times (wall time,
// and the CPU time of the whole process, all threads, which a busy shared machine does not inflate).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './median.mjs';
import { readModelSettings } from './model-settings.mjs';
import { loadOnnxClassifier, onnxRuntimeVersion, sharpVersion } from './onnx-classifier.mjs';

const WARM_UP_RUNS_PER_IMAGE = 3;

const { runs, images } = parseArguments(process.argv.slice(2));
const settings = readModelSettings(process.env);
const classifier = await loadOnnxClassifier(settings);

const results = [];
for (const path of images) {
  const event = JSON.stringify({ imageBase64: readFileSync(path).toString('base64') });
  const first = await classifier.handle(event);
  for (let run = 0; run < WARM_UP_RUNS_PER_IMAGE; run += 1) await classifier.handle(event);
  const durations = [];
  const cpuDurations = [];
  const decodeDurations = [];
  const inferenceDurations = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await classifier.handle(event);
    durations.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuDurations.push((cpu.user + cpu.system) / 1000);
    decodeDurations.push(result.decodeMs);
    inferenceDurations.push(result.inferenceMs);
  }
  results.push({
    image: basename(path),
    label: first.label,
    confidence: first.confidence,
    medianMs: rounded(median(durations)),
    medianCpuMs: rounded(median(cpuDurations)),
    medianDecodeMs: rounded(median(decodeDurations)),
    medianInferenceMs: rounded(median(inferenceDurations)),
  });
}

const report = {
  runtime: 'onnxruntime-node',
  model: settings.name,
  runs,
  threads: classifier.threads,
  intraOpSpinning: classifier.allowSpinning,
  modelLoadMs: rounded(classifier.loadMs),
  warmUpMs: rounded(classifier.warmUpMs),
  images: results,
  versions: { onnxruntime: onnxRuntimeVersion, sharp: sharpVersion, node: process.versions.node },
  sharpThreads: classifier.sharpThreads,
};
process.stdout.write(`${JSON.stringify(report)}\n`);

function parseArguments(args) {
  const parsed = { runs: 20, images: [] };
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '--runs') {
      parsed.runs = Number(args[(index += 1)]);
      if (!Number.isInteger(parsed.runs) || parsed.runs < 1) usage();
    } else if (args[index].startsWith('--')) {
      usage();
    } else {
      parsed.images.push(args[index]);
    }
  }
  if (parsed.images.length === 0) usage();
  return parsed;
}

function usage() {
  process.stderr.write('usage: node-classify-bench.mjs [--runs N] IMAGE...\n');
  process.exit(2);
}

function rounded(ms) {
  return Math.round(ms * 1000) / 1000;
}
