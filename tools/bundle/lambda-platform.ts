/**
 * Where the functions run. serverless.ts deploys this architecture, and the bundler installs native packages
 * (sharp's libvips) for it, whatever machine builds them.
 */
export const LAMBDA_PLATFORM = { architecture: 'arm64', os: 'linux', cpu: 'arm64', libc: 'glibc' } as const;
