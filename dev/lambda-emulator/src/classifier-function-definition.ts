import { join } from 'node:path';
import type { LambdaFunctionDefinition } from './lambda-function-definition.js';

export interface ClassifierFunctionOptions {
  name: string;
  /** classifier-cpp's `build/bootstrap` (see `ensureClassifierBuilt`). */
  bootstrapPath: string;
  /** The SqueezeNet folder (`../shared/models/squeezenet-dc` locally). */
  modelDir: string;
  timeoutMs?: number;
  concurrency?: number;
  /** Added to (and overriding) the model settings, e.g. `TOP_K_DEFAULT`, `CLASSIFIER_THREADS`. */
  extraEnv?: Record<string, string>;
}

/** The C++ classifier as a Lambda custom runtime, set up for the local SqueezeNet model (227×227, BGR, Caffe mean). */
export function classifierFunctionDefinition(options: ClassifierFunctionOptions): LambdaFunctionDefinition {
  const { modelDir } = options;
  const env = {
    MODEL_NAME: 'squeezenet-dc',
    MODEL_WEIGHTS: join(modelDir, 'squeezenet_v1.0_dc.caffemodel'),
    MODEL_CONFIG: join(modelDir, 'deploy.prototxt'),
    MODEL_LABELS: join(modelDir, 'classes.txt'),
    MODEL_INPUT_WIDTH: '227',
    MODEL_INPUT_HEIGHT: '227',
    MODEL_MEAN: '104,117,123',
    MODEL_SCALE: '1',
    MODEL_SWAP_RB: 'false',
    ...options.extraEnv,
  };
  return {
    name: options.name,
    timeoutMs: options.timeoutMs ?? 30_000,
    concurrency: options.concurrency ?? 1,
    runtime: () => ({ command: options.bootstrapPath, env }),
  };
}
