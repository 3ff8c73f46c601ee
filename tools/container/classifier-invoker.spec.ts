import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeOutcome, invokeClassifier } from './classifier-invoker.js';

const lambdaMock = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'us-east-1' });

function payload(body: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(body)) as Uint8Array;
}

describe('invokeClassifier', () => {
  beforeEach(() => {
    lambdaMock.reset();
  });

  it('sends the event as the payload and reads the top label', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({ label: 'tripod', confidence: 0.97, labels: [], model: 'squeezenet' }) as never,
    });

    const outcome = await invokeClassifier(client, 'classifier', { imageUrl: 'http://127.0.0.1:9/camera.png' });

    expect(outcome).toMatchObject({ kind: 'classified', label: 'tripod', confidence: 0.97 });
    const sent = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(sent.FunctionName).toBe('classifier');
    expect(JSON.parse(new TextDecoder().decode(sent.Payload as Uint8Array))).toEqual({
      imageUrl: 'http://127.0.0.1:9/camera.png',
    });
  });

  it('reads a function error as its type and message', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'UndecodableImage', errorMessage: 'unsupported image format' }) as never,
    });

    const outcome = await invokeClassifier(client, 'classifier', { imageBase64: 'dGV4dA==' });

    expect(outcome).toMatchObject({
      kind: 'function-error',
      errorType: 'UndecodableImage',
      errorMessage: 'unsupported image format',
    });
    expect(describeOutcome(outcome)).toMatch(/^function error UndecodableImage: unsupported image format \(\d+ ms\)$/);
  });

  it('refuses a success payload without a label', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ labels: [] }) as never });

    await expect(invokeClassifier(client, 'classifier', { imageBase64: '' })).rejects.toThrow(/unexpected response/);
  });
});
