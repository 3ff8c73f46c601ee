// The Node counterpart of classifier-cpp's handler: onnxruntime-node runs the ONNX export of the same network,
// sharp decodes and resizes. handle() takes the same event ({"imageBase64": ...}) and returns the same response
// JSON: parse JSON → base64 decode → decode + resize → BGR planar float blob → inference → top-k → JSON.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const MAX_TOP_K = 20;
// The network ends in Softmax; its outputs are used as confidences as they are, as classifier-cpp does.
const PROBABILITY_SUM_TOLERANCE = 1e-3;
// sharp's RGB channel index for each network channel.
const BGR_FROM_RGB = [2, 1, 0];
const RGB_FROM_RGB = [0, 1, 2];

export const onnxRuntimeVersion = ort.env.versions.node;
export const sharpVersion = sharp.versions.sharp;

export async function loadOnnxClassifier(settings) {
  // libvips caches operations by their arguments; the C++ side has no such cache, so neither may this one.
  sharp.cache(false);
  const loadStart = performance.now();
  const session = await ort.InferenceSession.create(settings.onnxPath, {
    executionProviders: ['cpu'],
    // The same thread count as OpenCV uses on the C++ side; one graph, so no inter-op parallelism.
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // ORT's workers busy-wait after each run by default. On a busy CPU they then compete with sharp and everything
    // else: the handler took twice as long here under load; on a quiet machine spinning saves only ~0.5 ms.
    extra: { session: { intra_op: { allow_spinning: settings.allowSpinning ? '1' : '0' } } },
  });
  const labels = readFileSync(settings.labelsPath, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const loadMs = performance.now() - loadStart;

  const { inputWidth: width, inputHeight: height } = settings;
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const channelSource = settings.swapRB ? RGB_FROM_RGB : BGR_FROM_RGB;
  const infer = async (blob) => {
    const outputs = await session.run({ [inputName]: new ort.Tensor('float32', blob, [1, 3, height, width]) });
    return outputs[outputName].data;
  };

  // One warm-up pass at load, as classifier-cpp's Model::load does (the first run allocates and optimises).
  const warmUpStart = performance.now();
  const warmUpScores = await infer(new Float32Array(3 * width * height));
  const warmUpMs = performance.now() - warmUpStart;
  checkProbabilities(warmUpScores, labels.length);

  async function decodeAndResize(bytes) {
    // ignoreIcc: cv::imdecode ignores embedded colour profiles; applying chelsea.png's took 3.5 ms, changed no pixel.
    const { data, info } = await sharp(bytes, { limitInputPixels: settings.maxImagePixels, ignoreIcc: true })
      // fill = stretch to the input size without crop, as blobFromImage(crop=false) does. OpenCV resizes with
      // INTER_LINEAR, which does not low-pass on downscaling; of sharp's kernels, cubic comes closest to it in
      // pixels and in confidences (the default lanczos3 is 0.05 off on chelsea.png; README.md has the numbers).
      .resize(width, height, { fit: 'fill', kernel: 'cubic' })
      // 3 channels whatever the source (greyscale, alpha), as cv::imdecode(IMREAD_COLOR) gives.
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== width || info.height !== height) {
      throw new Error(`sharp produced ${info.width}x${info.height}x${info.channels}, not ${width}x${height}x3`);
    }
    return data;
  }

  // Interleaved RGB bytes → planar float32 in the network's channel order, mean subtracted, then scaled.
  function toInputBlob(rgb) {
    const planeSize = width * height;
    const blob = new Float32Array(3 * planeSize);
    for (let channel = 0; channel < 3; channel += 1) {
      const source = channelSource[channel];
      const mean = settings.mean[channel];
      const plane = channel * planeSize;
      for (let pixel = 0; pixel < planeSize; pixel += 1) {
        blob[plane + pixel] = (rgb[3 * pixel + source] - mean) * settings.scale;
      }
    }
    return blob;
  }

  async function handle(eventJson) {
    const request = parseRequest(eventJson, settings.topKDefault);
    const decodeStart = performance.now();
    const pixels = await decodeAndResize(Buffer.from(request.imageBase64, 'base64'));
    const decodeMs = performance.now() - decodeStart;

    const inferenceStart = performance.now();
    const scores = await infer(toInputBlob(pixels));
    const best = topK(scores, request.topK).map(({ classId, confidence }) => ({
      label: labels[classId],
      confidence: roundTo(confidence, 6),
      classId,
    }));
    const inferenceMs = performance.now() - inferenceStart;

    const response = {
      label: best[0].label,
      confidence: best[0].confidence,
      labels: best,
      model: settings.name,
      timings: { downloadMs: 0, decodeMs: roundTo(decodeMs, 3), inferenceMs: roundTo(inferenceMs, 3) },
    };
    const { label, confidence } = response;
    return { json: JSON.stringify(response), label, confidence, decodeMs, inferenceMs };
  }

  const { threads, allowSpinning } = settings;
  return { handle, loadMs, warmUpMs, threads, allowSpinning, sharpThreads: sharp.concurrency() };
}

function parseRequest(eventJson, topKDefault) {
  const event = JSON.parse(eventJson);
  if (typeof event?.imageBase64 !== 'string' || event.imageBase64.length === 0) {
    throw new Error('the event needs a non-empty string imageBase64');
  }
  const topK = event.topK ?? topKDefault;
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
    throw new Error(`topK must be an integer in 1..${MAX_TOP_K}`);
  }
  return { imageBase64: event.imageBase64, topK };
}

// The k best scores, best first; ties go to the lower class id (as classifier-cpp's topK).
function topK(scores, k) {
  const best = [];
  for (let classId = 0; classId < scores.length; classId += 1) {
    const confidence = scores[classId];
    if (best.length === k && confidence <= best[k - 1].confidence) continue;
    const position = best.findIndex((entry) => confidence > entry.confidence);
    best.splice(position === -1 ? best.length : position, 0, { classId, confidence });
    if (best.length > k) best.pop();
  }
  return best;
}

// Softmax on this side alone would compare probabilities with whatever the C++ side prints, so a model whose
// outputs are not already probabilities is refused instead.
function checkProbabilities(scores, labelCount) {
  if (scores.length !== labelCount) {
    throw new Error(`the model has ${scores.length} outputs but there are ${labelCount} labels`);
  }
  let sum = 0;
  for (const score of scores) {
    if (!(score >= 0 && score <= 1)) throw new Error(`the model's outputs are not probabilities (found ${score})`);
    sum += score;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) throw new Error(`the model's outputs sum to ${sum}, not 1`);
}

function roundTo(value, decimals) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
