// What `npm run bench:classifier` measures and with which model: read from the environment when the run starts.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

const FIXTURE_IMAGES = ['squirrel.jpg', 'camera.png', 'chelsea.png'];

export function readBenchSettings(env, repositoryRoot) {
  // Shared data is read in place, never copied: defaults are relative to the repository root, as everywhere.
  const modelDirectory = resolve(repositoryRoot, env.MODEL_DIR || '../shared/models/squeezenet-dc');
  const fixturesDirectory = resolve(repositoryRoot, env.FIXTURES_DIR || '../shared/fixtures/images');
  // Lambda's classifier runs on one vCPU; the machines we develop on have more. Both counts are measured unless
  // CLASSIFIER_THREADS names one.
  const threadCounts = env.CLASSIFIER_THREADS
    ? [positiveInteger(env, 'CLASSIFIER_THREADS', 1)]
    : [...new Set([1, Math.min(2, availableParallelism())])];
  const modelEnvironment = {
    MODEL_NAME: 'squeezenet_v1.0_dc',
    MODEL_WEIGHTS: join(modelDirectory, 'squeezenet_v1.0_dc.caffemodel'),
    MODEL_CONFIG: join(modelDirectory, 'deploy.prototxt'),
    MODEL_ONNX: join(modelDirectory, 'squeezenet_v1.0_dc.onnx'),
    MODEL_LABELS: join(modelDirectory, 'classes.txt'),
    MODEL_INPUT_WIDTH: '227',
    MODEL_INPUT_HEIGHT: '227',
    MODEL_MEAN: '104,117,123',
    MODEL_SCALE: '1',
    MODEL_SWAP_RB: 'false',
  };
  const images = FIXTURE_IMAGES.map((name) => join(fixturesDirectory, name));
  const { MODEL_WEIGHTS, MODEL_CONFIG, MODEL_ONNX, MODEL_LABELS } = modelEnvironment;
  const needed = [MODEL_WEIGHTS, MODEL_CONFIG, MODEL_ONNX, MODEL_LABELS, ...images];
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`missing model or fixture files (see MODEL_DIR, FIXTURES_DIR): ${missing.join(', ')}`);
  }
  return {
    images,
    threadCounts,
    modelEnvironment,
    runs: positiveInteger(env, 'RUNS', 50),
    warmBlocks: positiveInteger(env, 'WARM_BLOCKS', 5),
    coldRuns: positiveInteger(env, 'COLD_RUNS', 5),
  };
}

function positiveInteger(env, name, fallback) {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${env[name]}"`);
  return value;
}
