import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifierFunctionDefinition } from './classifier-function-definition.js';
import { ensureClassifierBuilt } from './ensure-classifier-built.js';
import { LambdaEmulator } from './lambda-emulator.js';

// Integration: the real classifier-cpp bootstrap (built first if needed) in the emulator, called through the SDK.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODEL_DIR = process.env.MODEL_DIR ?? resolve(REPO_ROOT, '../shared/models/squeezenet-dc');
const FIXTURES_DIR = process.env.FIXTURES_DIR ?? resolve(REPO_ROOT, '../shared/fixtures/images');
const CLASSIFIER = 'udagram-classifier';
const COLD_BUILD_MS = 15 * 60_000;

describe('classifier-cpp bootstrap in the emulator', { timeout: 60_000 }, () => {
  const savedCredentials = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const logLines: string[] = [];
  let emulator: LambdaEmulator;
  let client: LambdaClient;

  async function invoke(event: unknown): Promise<{ functionError?: string; body: Record<string, unknown> }> {
    const output = await client.send(new InvokeCommand({ FunctionName: CLASSIFIER, Payload: JSON.stringify(event) }));
    return { functionError: output.FunctionError, body: JSON.parse(new TextDecoder().decode(output.Payload)) };
  }

  beforeAll(async () => {
    const bootstrapPath = await ensureClassifierBuilt(REPO_ROOT, (line) => logLines.push(line));
    emulator = new LambdaEmulator({
      functions: [classifierFunctionDefinition({ name: CLASSIFIER, bootstrapPath, modelDir: MODEL_DIR })],
      log: (line) => logLines.push(line),
    });
    await emulator.start();
    client = new LambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
  }, COLD_BUILD_MS);

  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });

  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'emulator-test';
    process.env.AWS_SECRET_ACCESS_KEY = 'emulator-test';
  });

  afterEach(() => {
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', savedCredentials.id],
      ['AWS_SECRET_ACCESS_KEY', savedCredentials.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('classifies the squirrel photo as a fox squirrel', async () => {
    const squirrel = await readFile(join(FIXTURES_DIR, 'squirrel.jpg'));

    const { functionError, body } = await invoke({ imageBase64: squirrel.toString('base64'), topK: 3 });

    expect(functionError).toBeUndefined();
    expect(body).toMatchObject({
      label: 'fox squirrel, eastern fox squirrel, Sciurus niger',
      model: 'squeezenet-dc',
      timings: { downloadMs: expect.any(Number), decodeMs: expect.any(Number), inferenceMs: expect.any(Number) },
    });
    expect(body.confidence).toBeGreaterThan(0.9);
    expect(body.labels).toHaveLength(3);
  });

  it('answers a text file with the function error UndecodableImage, and the same runtime answers after that', async () => {
    const text = Buffer.from('This is a text file, not a photo.\n');
    const squirrel = await readFile(join(FIXTURES_DIR, 'squirrel.jpg'));

    const rejected = await invoke({ imageBase64: text.toString('base64') });
    const next = await invoke({ imageBase64: squirrel.toString('base64') });

    expect(rejected.functionError).toBe('Unhandled');
    expect(rejected.body).toMatchObject({ errorType: 'UndecodableImage', errorMessage: expect.any(String) });
    expect(next.functionError).toBeUndefined();
    expect(next.body.label).toBe('fox squirrel, eastern fox squirrel, Sciurus niger');
    expect(logLines.filter((line) => line.includes(' exited '))).toEqual([]);
  });
});
