/**
 * Every Node.js Lambda function of the stack and the module that exports its handler. Adding a function: one line
 * here, then its definition and its IAM statements in serverless.ts.
 */
export const LAMBDA_ENTRY_POINTS = {
  api: 'apps/api/src/lambda.ts',
  classificationWorker: 'apps/api/src/classification-worker-lambda.ts',
  thumbnailWorker: 'apps/api/src/thumbnail-worker-lambda.ts',
  websocket: 'apps/api/src/websocket-lambda.ts',
  notifier: 'apps/api/src/notifier-lambda.ts',
  preTrafficHook: 'apps/api/src/pre-traffic-hook-lambda.ts',
} as const satisfies Record<string, string>;

export type NodeFunctionName = keyof typeof LAMBDA_ENTRY_POINTS;

/** Where `nest build api` (SWC, decorator metadata kept) writes the compiled module of a TypeScript source. */
export function compiledPath(sourcePath: string): string {
  return `dist/${sourcePath.replace(/\.ts$/, '.js')}`;
}

/** The bundle's folder: `index.mjs`, its source map and the zip that is deployed. */
export function bundleDirectory(name: string): string {
  return `dist/lambda/${name}`;
}

/** The deployment package of a function: `index.mjs` and its map at the root, so the handler is `index.<export>`. */
export function artifactPath(name: string): string {
  return `dist/lambda/${name}.zip`;
}
