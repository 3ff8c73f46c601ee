import { LAMBDA_NODE_RUNTIME, LAMBDA_PLATFORM } from './bundle/lambda-platform.js';

/**
 * One line saying which Node runs this process and whether it is the Lambdas' major, for the launcher and the
 * benches: "Node v22.23.5 (the Lambda runtime, nodejs22.x)".
 */
export function describeNodeRuntime(version: string = process.version): string {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major === LAMBDA_PLATFORM.nodeMajor) return `Node ${version} (the Lambda runtime, ${LAMBDA_NODE_RUNTIME})`;
  // Run through `npm start` / `npm test` / `npm run …`, node_modules/.bin/node (the pinned Node) comes first on PATH.
  return `Node ${version}, NOT the Lambda runtime (${LAMBDA_NODE_RUNTIME}): run it through npm, which puts the project's pinned Node (node_modules/.bin/node) first`;
}
