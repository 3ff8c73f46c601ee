// The Node side reads the same MODEL_* / CLASSIFIER_THREADS variables as classifier-cpp's bootstrap (see
// classifier-cpp/README.md), plus MODEL_ONNX and ORT_ALLOW_SPINNING, so one environment configures both sides.
import { availableParallelism } from 'node:os';

const TOP_K_DEFAULT = 5;
// classifier-cpp's MAX_IMAGE_PIXELS default: the header's width × height is checked before decoding.
const MAX_IMAGE_PIXELS = 40_000_000;

export function readModelSettings(env) {
  const mean = list(env, 'MODEL_MEAN', '104,117,123');
  return {
    name: text(env, 'MODEL_NAME', 'squeezenet_v1.0_dc'),
    onnxPath: text(env, 'MODEL_ONNX'),
    labelsPath: text(env, 'MODEL_LABELS'),
    inputWidth: integer(env, 'MODEL_INPUT_WIDTH', 227),
    inputHeight: integer(env, 'MODEL_INPUT_HEIGHT', 227),
    // One number means the same mean for every channel, as in classifier-cpp.
    mean: mean.length === 1 ? [mean[0], mean[0], mean[0]] : mean,
    scale: positiveNumber(env, 'MODEL_SCALE', 1),
    swapRB: ['true', '1', 'yes'].includes(text(env, 'MODEL_SWAP_RB', 'false').toLowerCase()),
    // 0 means "all cores", which is what OpenCV picks for classifier-cpp's default of 0.
    threads: integer(env, 'CLASSIFIER_THREADS', 0) || availableParallelism(),
    // ORT_ALLOW_SPINNING=1 restores onnxruntime's default (intra-op threads busy-wait between runs).
    allowSpinning: env.ORT_ALLOW_SPINNING === '1',
    topKDefault: TOP_K_DEFAULT,
    maxImagePixels: MAX_IMAGE_PIXELS,
  };
}

function text(env, name, fallback) {
  const value = env[name] || fallback;
  if (value === undefined) throw new Error(`${name} must be set`);
  return value;
}

function integer(env, name, fallback) {
  const value = Number(text(env, name, String(fallback)));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

function positiveNumber(env, name, fallback) {
  const value = Number(text(env, name, String(fallback)));
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name} must be a number > 0`);
  return value;
}

function list(env, name, fallback) {
  const values = text(env, name, fallback).split(',').map(Number);
  if (![1, 3].includes(values.length) || values.some((value) => !Number.isFinite(value))) {
    throw new Error(`${name} must be one number or three, comma-separated`);
  }
  return values;
}
