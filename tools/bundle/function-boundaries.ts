import type { Metafile } from 'esbuild';
import { packageOf, type DevOnlyInput } from './dev-only-inputs.js';
import type { NodeFunctionName } from './lambda-entry-points.js';

/** What a function must not load beyond dev-only code, and how large its bundle may be. */
export interface FunctionBoundary {
  /** Project folders (compiled under `dist/`, or the TypeScript sources) another function owns. */
  sources: readonly RegExp[];
  /** Packages another function owns, bundled or left external (sharp is native, hence external). */
  packages: readonly string[];
  maxBytes?: number;
}

/**
 * The pipeline's modules: the queue workers' labelling and classifier client (the Lambda client, sharp, the batch
 * processor) and the notifier's WebSocket posts (the API Gateway Management client). Loading any of them would
 * make every cold start pay for code that no request runs.
 */
const PIPELINE_ONLY: FunctionBoundary = {
  sources: [/^(dist\/)?libs\/(labelling|classification|notifications)\//],
  packages: [
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-apigatewaymanagementapi',
    '@aws-lambda-powertools/batch',
    'sharp',
  ],
};

const MEBIBYTE = 1024 * 1024;

export const FUNCTION_BOUNDARIES: Partial<Record<NodeFunctionName, FunctionBoundary>> = {
  // The HTTP API enqueues (SQS) and presigns (S3); it never labels, classifies or notifies.
  api: { ...PIPELINE_ONLY, maxBytes: 3 * MEBIBYTE },
};

/** What a bundle loads against its function's boundary: sources and packages (bundled or external). */
export function findPipelineOnlyInputs(
  metafile: Metafile,
  externalImports: readonly string[],
  boundary: FunctionBoundary,
): DevOnlyInput[] {
  const found: DevOnlyInput[] = [];
  const forbidden = new Set(boundary.packages);
  for (const input of Object.keys(metafile.inputs)) {
    const source = boundary.sources.find((pattern) => pattern.test(input));
    if (source) found.push({ input, reason: `pipeline-only source (${source.source})` });
    const bundledPackage = packageOf(input);
    if (bundledPackage !== undefined && forbidden.has(bundledPackage))
      found.push({ input, reason: `pipeline-only package ${bundledPackage}` });
  }
  for (const external of externalImports) {
    const externalPackage = packageOf(`node_modules/${external}`);
    if (externalPackage !== undefined && forbidden.has(externalPackage)) {
      found.push({ input: external, reason: `pipeline-only package ${externalPackage} (external)` });
    }
  }
  return found;
}

/** The size limit as a sentence, or undefined when the bundle is within it (or the function has none). */
export function sizeLimitExceeded(bytes: number, boundary: FunctionBoundary | undefined): string | undefined {
  if (boundary?.maxBytes === undefined || bytes <= boundary.maxBytes) return undefined;
  return `${bytes} bytes, over the limit of ${boundary.maxBytes} bytes`;
}
