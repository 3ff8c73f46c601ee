import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from './bundle-lambda.js';
import { findPipelineOnlyInputs, FUNCTION_BOUNDARIES, sizeLimitExceeded } from './function-boundaries.js';
import { LAMBDA_ENTRY_POINTS } from './lambda-entry-points.js';

/** A metafile holding these inputs (what they import does not matter here). */
function metafile(inputs: string[]): Metafile {
  return { inputs: Object.fromEntries(inputs.map((input) => [input, { bytes: 1, imports: [] }])), outputs: {} };
}

const api = FUNCTION_BOUNDARIES.api!;

describe('findPipelineOnlyInputs', () => {
  it('accepts what the HTTP API needs: the features, the DynamoDB, S3 and SQS clients', () => {
    const found = findPipelineOnlyInputs(
      metafile([
        'dist/apps/api/src/lambda.js',
        'dist/libs/images/src/images.service.js',
        'dist/libs/pipeline-queues/src/index.js',
        'node_modules/@aws-sdk/client-sqs/dist-es/SQSClient.js',
        'node_modules/@aws-sdk/client-s3/dist-es/S3Client.js',
      ]),
      ['node:http'],
      api,
    );

    expect(found).toEqual([]);
  });

  it('reports the pipeline’s libraries and clients, bundled or external', () => {
    const found = findPipelineOnlyInputs(
      metafile([
        'dist/apps/api/src/lambda.js',
        'dist/libs/labelling/src/classification.worker.js',
        'libs/notifications/src/websocket-connections.ts',
        'node_modules/@aws-sdk/client-lambda/dist-es/LambdaClient.js',
        'node_modules/@aws-lambda-powertools/batch/lib/esm/BatchProcessor.js',
      ]),
      ['sharp'],
      api,
    );

    expect(found).toEqual([
      {
        input: 'dist/libs/labelling/src/classification.worker.js',
        reason: expect.stringContaining('pipeline-only source'),
      },
      {
        input: 'libs/notifications/src/websocket-connections.ts',
        reason: expect.stringContaining('pipeline-only source'),
      },
      {
        input: 'node_modules/@aws-sdk/client-lambda/dist-es/LambdaClient.js',
        reason: 'pipeline-only package @aws-sdk/client-lambda',
      },
      {
        input: 'node_modules/@aws-lambda-powertools/batch/lib/esm/BatchProcessor.js',
        reason: 'pipeline-only package @aws-lambda-powertools/batch',
      },
      { input: 'sharp', reason: 'pipeline-only package sharp (external)' },
    ]);
  });
});

describe('sizeLimitExceeded', () => {
  it('holds the API bundle to 3 MiB', () => {
    expect(sizeLimitExceeded(3 * 1024 * 1024, api)).toBeUndefined();
    expect(sizeLimitExceeded(3 * 1024 * 1024 + 1, api)).toBe('3145729 bytes, over the limit of 3145728 bytes');
    expect(sizeLimitExceeded(10 * 1024 * 1024, undefined)).toBeUndefined();
  });
});

// Each test bundles a whole function from its sources: 2–3 s alone, several times that on a busy machine.
describe('the API function’s import graph (bundled from the sources as the build does)', { timeout: 60_000 }, () => {
  it('loads nothing of the pipeline', async () => {
    const result = await build({
      ...lambdaBuildOptions(LAMBDA_ENTRY_POINTS.api, process.cwd()),
      write: false,
      outfile: 'api.mjs',
      metafile: true,
    });
    const externalImports = Object.values(result.metafile.outputs).flatMap(({ imports }) =>
      imports.filter((imported) => imported.external).map(({ path }) => path),
    );

    expect(Object.keys(result.metafile.inputs)).toContain('libs/groups/src/groups.controller.ts');
    expect(findPipelineOnlyInputs(result.metafile, externalImports, api)).toEqual([]);
  });

  it('would report the pipeline if the API loaded it (the classification worker’s graph)', async () => {
    const result = await build({
      ...lambdaBuildOptions(LAMBDA_ENTRY_POINTS.classificationWorker, process.cwd()),
      write: false,
      outfile: 'worker.mjs',
      metafile: true,
    });

    const found = findPipelineOnlyInputs(result.metafile, [], api).map(({ reason }) => reason);

    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('pipeline-only source'),
        'pipeline-only package @aws-sdk/client-lambda',
      ]),
    );
  });
});
