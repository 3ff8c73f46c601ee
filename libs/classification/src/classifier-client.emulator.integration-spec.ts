import { classifierFunctionDefinition, ensureClassifierBuilt, LambdaEmulator } from '@dev/lambda-emulator';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassificationFailedError, ImageRejectedError } from './classification.errors.js';
import { ClassificationModule } from './classification.module.js';
import { ClassifierClient } from './classifier-client.js';

// Integration: ClassifierClient, built by Nest, against the Lambda emulator running the real classifier-cpp bootstrap,
// which downloads the images from a loopback HTTP server in this spec.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODEL_DIR = process.env.MODEL_DIR ?? resolve(REPO_ROOT, '../shared/models/squeezenet-dc');
const FIXTURES_DIR = process.env.FIXTURES_DIR ?? resolve(REPO_ROOT, '../shared/fixtures/images');
const FUNCTION_NAME = 'udagram-classifier';
const FOX_SQUIRREL = 'fox squirrel, eastern fox squirrel, Sciurus niger';
const COLD_BUILD_MS = 15 * 60_000;

const ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'emulator-test',
  AWS_SECRET_ACCESS_KEY: 'emulator-test',
  CLASSIFIER_FUNCTION_NAME: FUNCTION_NAME,
  CLASSIFIER_TIMEOUT_MS: '20000',
  CLASSIFIER_MAX_ATTEMPTS: '3',
  CLASSIFIER_RETRY_BASE_DELAY_MS: '20',
  CLASSIFIER_RETRY_MAX_DELAY_MS: '100',
};

/** Serves fixed files and counts requests per path; anything else is a 404. */
async function startImageServer(files: Record<string, { body: Buffer; type: string }>) {
  const requests = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const file = files[path];
    if (!file) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length }).end(file.body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: (path: string) => `${baseUrl}${path}`, requestsFor: (path: string) => requests.get(path) ?? 0 };
}

describe('ClassifierClient against the emulated classifier', { timeout: 60_000 }, () => {
  const savedEnvironment = Object.fromEntries(Object.keys(ENVIRONMENT).map((name) => [name, process.env[name]]));
  const logLines: string[] = [];
  let emulator: LambdaEmulator;
  let images: Awaited<ReturnType<typeof startImageServer>>;
  let moduleRef: TestingModule;
  let classifier: ClassifierClient;

  beforeAll(async () => {
    const log = (line: string): void => void logLines.push(line);
    const bootstrapPath = await ensureClassifierBuilt(REPO_ROOT, log);
    emulator = new LambdaEmulator({
      functions: [
        classifierFunctionDefinition({ name: FUNCTION_NAME, bootstrapPath, modelDir: MODEL_DIR, timeoutMs: 10_000 }),
      ],
      log,
    });
    await emulator.start();
    images = await startImageServer({
      '/squirrel.jpg': { body: await readFile(join(FIXTURES_DIR, 'squirrel.jpg')), type: 'image/jpeg' },
      '/notes.txt': { body: Buffer.from('This is a text file, not a photo.\n'), type: 'text/plain' },
    });
    Object.assign(process.env, ENVIRONMENT, { LAMBDA_ENDPOINT: emulator.endpoint });
    moduleRef = await Test.createTestingModule({ imports: [ClassificationModule] }).compile();
    await moduleRef.init();
    classifier = moduleRef.get(ClassifierClient);
  }, COLD_BUILD_MS);

  afterAll(async () => {
    await moduleRef?.close();
    await emulator?.stop();
    images?.server.close();
    for (const [name, value] of Object.entries({ ...savedEnvironment, LAMBDA_ENDPOINT: undefined })) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  it('classifies a photo it downloads from a URL', async () => {
    const classification = await classifier.classify({ imageUrl: images.url('/squirrel.jpg'), topK: 5 });

    expect(classification.label).toBe(FOX_SQUIRREL);
    expect(classification.confidence).toBeGreaterThan(0.9);
    expect(classification.model).toBe('squeezenet-dc');
    expect(classification.labels).toHaveLength(5);
    expect(classification.labels[0]).toEqual({
      label: FOX_SQUIRREL,
      confidence: classification.confidence,
      classId: expect.any(Number),
    });
  });

  it('throws a transient ClassificationFailedError DownloadFailed for a 404 URL, after every attempt', async () => {
    const classification = classifier.classify({ imageUrl: images.url('/missing.jpg') });

    await expect(classification).rejects.toBeInstanceOf(ClassificationFailedError);
    await expect(classification).rejects.toMatchObject({ errorType: 'DownloadFailed', transient: true });
    expect(images.requestsFor('/missing.jpg')).toBe(3);
  });

  it('throws ImageRejectedError UndecodableImage for a text file, without retrying', async () => {
    const classification = classifier.classify({ imageUrl: images.url('/notes.txt') });

    await expect(classification).rejects.toBeInstanceOf(ImageRejectedError);
    await expect(classification).rejects.toMatchObject({ errorType: 'UndecodableImage' });
    expect(images.requestsFor('/notes.txt')).toBe(1);
  });

  it.each([
    ['a crash', 'crash', 'Runtime.ExitError'],
    ['a timeout', 'timeout', 'Sandbox.Timedout'],
    ['a throttle', 'throttle', undefined],
  ] as const)('retries after %s of the function, then classifies', async (_case, fault, errorType) => {
    emulator.injectFaults(FUNCTION_NAME, fault, 1);
    const reportsBefore = logLines.filter((line) => line.includes('REPORT')).length;

    const classification = await classifier.classify({ imageUrl: images.url('/squirrel.jpg') });

    expect(classification.label).toBe(FOX_SQUIRREL);
    const reports = logLines.filter((line) => line.includes('REPORT')).slice(reportsBefore);
    expect(reports.map((line) => /Error: (\S+)$/.exec(line)?.[1])).toEqual(
      errorType ? [errorType, undefined] : [undefined],
    );
  });
});
