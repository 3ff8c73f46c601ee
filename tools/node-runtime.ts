import { LAMBDA_NODE_RUNTIME, LAMBDA_PLATFORM } from './bundle/lambda-platform.js';

/**
 * Which Node runs (this process, by default) and whether it is the Lambdas' major, for the launcher and the
 * benches: "Node v22.23.5 (the Lambda runtime, nodejs22.x)".
 */
export function describeNodeRuntime(version: string = process.version): string {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major === LAMBDA_PLATFORM.nodeMajor) return `Node ${version} (the Lambda runtime, ${LAMBDA_NODE_RUNTIME})`;
  // Through npm (`npm start`, `npm test`, `npm run …`) node_modules/.bin/node, the pinned Lambda Node, comes first.
  return `Node ${version} (NOT the Lambda runtime, ${LAMBDA_NODE_RUNTIME})`;
}
