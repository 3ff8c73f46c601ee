import {
  InvokeCommand,
  LambdaClient,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
  type InvocationType,
} from '@aws-sdk/client-lambda';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LambdaEmulator } from './lambda-emulator.js';
import type { LambdaFunctionDefinition } from './lambda-function-definition.js';

const FAKE_RUNTIME = fileURLToPath(new URL('../test/fake-runtime.mjs', import.meta.url));

/** A function run by the fake runtime; `initMode` is read at each runtime start (see fake-runtime.mjs). */
function fakeFunction(
  name: string,
  overrides: Partial<Omit<LambdaFunctionDefinition, 'name' | 'runtime'>> & { initMode?: () => string } = {},
): LambdaFunctionDefinition {
  const { initMode = () => 'ok', ...definition } = overrides;
  return {
    name,
    timeoutMs: 5_000,
    runtime: () => ({ command: process.execPath, args: [FAKE_RUNTIME], env: { FAKE_RUNTIME_INIT: initMode() } }),
    ...definition,
  };
}

interface EchoBody {
  event: Record<string, unknown>;
  pid: number;
  requestId: string;
  deadlineMs: number;
  functionArn: string;
  traceId: string;
  functionName: string;
}

interface ErrorBody {
  errorType: string;
  errorMessage: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LambdaEmulator', { timeout: 30_000 }, () => {
  const savedCredentials = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  let emulator: LambdaEmulator | undefined;
  let client: LambdaClient;
  let logLines: string[];

  async function startEmulator(...functions: LambdaFunctionDefinition[]): Promise<LambdaEmulator> {
    emulator = new LambdaEmulator({ functions, log: (line) => logLines.push(line) });
    await emulator.start();
    client = new LambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });
    return emulator;
  }

  async function invoke<Body = EchoBody>(functionName: string, event: unknown, invocationType?: InvocationType) {
    const output = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: invocationType, Payload: JSON.stringify(event) }),
    );
    const text = output.Payload ? new TextDecoder().decode(output.Payload) : '';
    return { output, body: (text ? JSON.parse(text) : undefined) as Body };
  }

  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'emulator-test';
    process.env.AWS_SECRET_ACCESS_KEY = 'emulator-test';
    logLines = [];
  });

  afterEach(async () => {
    client?.destroy();
    await emulator?.stop();
    emulator = undefined;
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', savedCredentials.id],
      ['AWS_SECRET_ACCESS_KEY', savedCredentials.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  describe('the Invoke API', () => {
    it('answers a RequestResponse invocation with the runtime response and the Runtime API headers', async () => {
      await startEmulator(fakeFunction('echo', { timeoutMs: 7_000 }));
      const before = Date.now();

      const { output, body } = await invoke('echo', { hello: 'world' });

      expect(output.StatusCode).toBe(200);
      expect(output.FunctionError).toBeUndefined();
      expect(output.ExecutedVersion).toBe('$LATEST');
      expect(body.event).toEqual({ hello: 'world' });
      expect(body.requestId).toBe(output.$metadata.requestId);
      expect(body.functionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
      expect(body.functionName).toBe('echo');
      expect(body.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
      expect(body.deadlineMs).toBeGreaterThanOrEqual(before + 7_000);
      expect(body.deadlineMs).toBeLessThanOrEqual(Date.now() + 7_000);
    });

    it('accepts a function ARN with a qualifier as the function name', async () => {
      await startEmulator(fakeFunction('echo'));

      const output = await client.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
          Qualifier: '$LATEST',
          Payload: JSON.stringify({ via: 'arn' }),
        }),
      );

      expect(JSON.parse(new TextDecoder().decode(output.Payload))).toMatchObject({ event: { via: 'arn' } });
    });

    it('answers an Event invocation with 202 at once and runs it in the background', async () => {
      await startEmulator(fakeFunction('echo'));

      const { output } = await invoke('echo', { sleepMs: 500 }, 'Event');

      expect(output.StatusCode).toBe(202);
      const report = `[echo] REPORT RequestId: ${output.$metadata.requestId} `;
      expect(logLines.some((line) => line.startsWith(report))).toBe(false);
      await vi.waitFor(() => expect(logLines.some((line) => line.startsWith(report))).toBe(true), { timeout: 10_000 });
    });

    it('answers a DryRun with 204 without starting a runtime', async () => {
      await startEmulator(fakeFunction('echo'));

      const { output } = await invoke('echo', {}, 'DryRun');

      expect(output.StatusCode).toBe(204);
      expect(logLines).toEqual([]);
    });

    it('makes the SDK throw ResourceNotFoundException for an unknown function', async () => {
      await startEmulator(fakeFunction('echo'));

      const invocation = invoke('missing', {});

      await expect(invocation).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(invocation).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
        Type: 'User',
        message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
      });
    });

    it('makes the SDK throw RequestTooLargeException for a payload over 6 MB', async () => {
      await startEmulator(fakeFunction('echo'));

      const invocation = invoke('echo', { data: 'x'.repeat(6 * 1024 * 1024) });

      await expect(invocation).rejects.toBeInstanceOf(RequestTooLargeException);
      await expect(invocation).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
    });

    it('rejects a payload that is not JSON as the SDK sees InvalidRequestContentException', async () => {
      await startEmulator(fakeFunction('echo'));

      const invocation = client.send(new InvokeCommand({ FunctionName: 'echo', Payload: 'not json' }));

      await expect(invocation).rejects.toMatchObject({
        name: 'InvalidRequestContentException',
        $metadata: { httpStatusCode: 400 },
      });
    });
  });

  describe('function errors', () => {
    it('passes the error a runtime posts through as FunctionError Unhandled with its JSON as payload', async () => {
      await startEmulator(fakeFunction('echo'));

      const { output, body } = await invoke<ErrorBody>('echo', {
        action: 'fail',
        errorType: 'ImageTooLarge',
        errorMessage: 'too many pixels',
      });

      expect(output.StatusCode).toBe(200);
      expect(output.FunctionError).toBe('Unhandled');
      expect(body).toEqual({ errorType: 'ImageTooLarge', errorMessage: 'too many pixels' });
    });

    it('answers Runtime.ExitError when the runtime exits during an invocation, then serves from a fresh runtime', async () => {
      await startEmulator(fakeFunction('echo'));
      const { body: first } = await invoke('echo', {});

      const { output, body } = await invoke<ErrorBody>('echo', { action: 'exit', exitCode: 3 });
      const { body: next } = await invoke('echo', { after: 'exit' });

      expect(output.FunctionError).toBe('Unhandled');
      expect(body).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${output.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
      });
      expect(next.event).toEqual({ after: 'exit' });
      expect(next.pid).not.toBe(first.pid);
    });

    it('answers Sandbox.Timedout and kills the runtime when an invocation outlives its timeout, then respawns', async () => {
      await startEmulator(fakeFunction('echo', { timeoutMs: 500 }));
      const { body: first } = await invoke('echo', {});

      const { output, body } = await invoke<ErrorBody>('echo', { action: 'hang' });
      const { body: next } = await invoke('echo', { after: 'timeout' });

      expect(output.FunctionError).toBe('Unhandled');
      expect(body).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `${output.$metadata.requestId} Task timed out after 0.50 seconds`,
      });
      expect(isRunning(first.pid)).toBe(false);
      expect(next.event).toEqual({ after: 'timeout' });
      expect(next.pid).not.toBe(first.pid);
    });

    it('answers Function.ResponseSizeTooLarge when the runtime answers more than 6 MB', async () => {
      await startEmulator(fakeFunction('echo'));

      const { output, body } = await invoke<ErrorBody>('echo', { padBytes: 6 * 1024 * 1024 });

      expect(output.FunctionError).toBe('Unhandled');
      expect(body.errorType).toBe('Function.ResponseSizeTooLarge');
    });
  });

  describe('runtime start-up', () => {
    it('reports an init error to the invoker, logs it, and starts the runtime again after a back-off', async () => {
      let initMode = 'error';
      await startEmulator(fakeFunction('flaky', { initMode: () => initMode }));

      const { output, body } = await invoke<ErrorBody>('flaky', {});
      const { body: second } = await invoke<ErrorBody>('flaky', {});
      initMode = 'ok';
      const { body: recovered } = await invoke('flaky', { after: 'init error' });

      expect(output.FunctionError).toBe('Unhandled');
      expect(body).toEqual({ errorType: 'FakeRuntime.InitError', errorMessage: 'init failed on purpose' });
      expect(second.errorType).toBe('FakeRuntime.InitError');
      expect(recovered.event).toEqual({ after: 'init error' });
      expect(logLines).toContainEqual(
        expect.stringMatching(/^\[flaky\] killing runtime \d+ because it reported an init error$/),
      );
      // Each start after a failed one waits: up to 250 ms after one failure, 500 ms after two.
      const waits = logLines.flatMap(
        (line) => /failed to start (\d) time\(s\) in a row; next start in (\d+) ms$/.exec(line) ?? [],
      );
      expect(waits).toHaveLength(6);
      const [, firstCount, firstWaitMs, , secondCount, secondWaitMs] = waits;
      expect([firstCount, secondCount]).toEqual(['1', '2']);
      expect(Number(firstWaitMs)).toBeLessThanOrEqual(250);
      expect(Number(secondWaitMs)).toBeGreaterThan(250);
      expect(Number(secondWaitMs)).toBeLessThanOrEqual(500);
    });

    it('answers Runtime.ExitError when the runtime exits during init without a word', async () => {
      await startEmulator(fakeFunction('broken', { initMode: () => 'exit' }));

      const { output, body } = await invoke<ErrorBody>('broken', {});

      expect(body).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${output.$metadata.requestId} Error: Runtime exited with error: exit status 2`,
      });
    });

    it('answers Sandbox.Timedout when a runtime never asks for an event within its init timeout', async () => {
      await startEmulator(fakeFunction('stuck', { initMode: () => 'hang', initTimeoutMs: 300 }));

      const { output, body } = await invoke<ErrorBody>('stuck', {});

      expect(body).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `${output.$metadata.requestId} Init timed out after 0.30 seconds`,
      });
    });

    it('answers Runtime.InvalidEntrypoint when the runtime command does not exist', async () => {
      await startEmulator({
        name: 'missing-binary',
        timeoutMs: 1_000,
        runtime: () => ({ command: '/nonexistent/bootstrap' }),
      });

      const { output, body } = await invoke<ErrorBody>('missing-binary', {});

      expect(output.FunctionError).toBe('Unhandled');
      expect(body.errorType).toBe('Runtime.InvalidEntrypoint');
      expect(body.errorMessage).toContain('ENOENT');
    });

    it('writes the runtime output to the log, prefixed with the function name', async () => {
      await startEmulator(fakeFunction('echo'));

      await invoke('echo', { stderr: 'hello from the runtime' });

      expect(logLines).toContain('[echo] hello from the runtime');
      expect(logLines).toContainEqual(expect.stringMatching(/^\[echo\] fake runtime \d+ ready$/));
    });

    it('hands the runtime output to functionOutput instead, when given, and keeps its own events in the log', async () => {
      const output: string[] = [];
      emulator = new LambdaEmulator({
        functions: [fakeFunction('echo')],
        log: (line) => logLines.push(line),
        functionOutput: (functionName, line) => output.push(`${functionName}: ${line}`),
      });
      await emulator.start();
      client = new LambdaClient({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 });

      await invoke('echo', { stderr: 'hello from the runtime' });

      expect(output).toContain('echo: hello from the runtime');
      expect(output).toContainEqual(expect.stringMatching(/^echo: fake runtime \d+ ready$/));
      expect(logLines.filter((line) => line.includes('hello from the runtime'))).toEqual([]);
      expect(logLines).toContainEqual(expect.stringMatching(/^\[echo\] REPORT RequestId: /));
    });
  });

  describe('injected faults', () => {
    it('makes the SDK throw TooManyRequestsException for an injected throttle, then runs the next invocation', async () => {
      (await startEmulator(fakeFunction('echo'))).injectFaults('echo', 'throttle', 1);

      const throttled = invoke('echo', {});

      await expect(throttled).rejects.toBeInstanceOf(TooManyRequestsException);
      await expect(throttled).rejects.toMatchObject({
        $metadata: { httpStatusCode: 429 },
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      });
      expect(logLines.some((line) => line.includes('fake runtime'))).toBe(false);
      await expect(invoke('echo', { after: 'throttle' })).resolves.toMatchObject({
        body: { event: { after: 'throttle' } },
      });
    });

    it('kills the runtime for an injected crash (Runtime.ExitError, signal: killed), then serves from a fresh one', async () => {
      const started = await startEmulator(fakeFunction('echo'));
      const { body: first } = await invoke('echo', {});
      started.injectFaults('echo', 'crash', 1);

      const { output, body } = await invoke<ErrorBody>('echo', {});
      const { body: next } = await invoke('echo', {});

      expect(output.FunctionError).toBe('Unhandled');
      expect(body).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${output.$metadata.requestId} Error: Runtime exited with error: signal: killed`,
      });
      expect(next.pid).not.toBe(first.pid);
    });

    it('times out an injected timeout at once, without waiting for timeoutMs', async () => {
      const started = await startEmulator(fakeFunction('echo', { timeoutMs: 20_000 }));
      const { body: warm } = await invoke('echo', {});
      started.injectFaults('echo', 'timeout', 2);
      const startedAt = Date.now();

      const first = await invoke<ErrorBody>('echo', {});
      const second = await invoke<ErrorBody>('echo', {});
      const third = await invoke('echo', { after: 'timeouts' });

      expect(Date.now() - startedAt).toBeLessThan(10_000);
      expect(first.body.errorType).toBe('Sandbox.Timedout');
      expect(second.body).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `${second.output.$metadata.requestId} Task timed out after 20.00 seconds`,
      });
      expect(third.body.event).toEqual({ after: 'timeouts' });
      expect(isRunning(warm.pid)).toBe(false);
      expect(third.body.pid).not.toBe(warm.pid);
    });

    it('takes faults over HTTP from another process, and refuses malformed ones', async () => {
      const started = await startEmulator(fakeFunction('echo'));
      const post = (body: string, name = 'echo') =>
        fetch(`${started.endpoint}/_emulator/functions/${name}/faults`, { method: 'POST', body });

      const accepted = await post('{"fault":"throttle","count":1}');
      const malformed = await post('{"fault":"explode","count":1}');
      const unknown = await post('{"fault":"crash","count":1}', 'missing');

      expect([accepted.status, malformed.status, unknown.status]).toEqual([204, 400, 404]);
      await expect(invoke('echo', {})).rejects.toBeInstanceOf(TooManyRequestsException);
      await expect(invoke('echo', { after: 'throttle' })).resolves.toMatchObject({
        body: { event: { after: 'throttle' } },
      });
    });

    it('refuses faults for an unknown function', async () => {
      const started = await startEmulator(fakeFunction('echo'));

      expect(() => started.injectFaults('missing', 'crash', 1)).toThrow('Unknown Lambda function missing');
    });
  });

  describe('concurrency', () => {
    it('serves concurrent calls one at a time, in arrival order, with one runtime', async () => {
      await startEmulator(fakeFunction('echo'));
      const finished: string[] = [];
      const startedAt = Date.now();

      const calls = ['a', 'b', 'c'].map(async (tag, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 50));
        const { body } = await invoke('echo', { tag, sleepMs: 400 });
        finished.push(tag);
        return body.pid;
      });
      const pids = await Promise.all(calls);

      expect(finished).toEqual(['a', 'b', 'c']);
      expect(new Set(pids).size).toBe(1);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_200);
    });

    it('serves two concurrent calls in parallel with two runtimes', async () => {
      await startEmulator(fakeFunction('echo', { concurrency: 2 }));
      // Warm both runtimes first, so that the timing below measures invocations, not process starts.
      await Promise.all([invoke('echo', { sleepMs: 300 }), invoke('echo', { sleepMs: 300 })]);
      const startedAt = Date.now();

      const [first, second] = await Promise.all([
        invoke('echo', { sleepMs: 1_000 }),
        invoke('echo', { sleepMs: 1_000 }),
      ]);

      expect(first.body.pid).not.toBe(second.body.pid);
      expect(Date.now() - startedAt).toBeLessThan(1_900);
    });
  });

  describe('stop', () => {
    it('kills every runtime process, including one busy with an invocation', async () => {
      const started = await startEmulator(fakeFunction('echo', { concurrency: 2 }));
      const [first, second] = await Promise.all([invoke('echo', { sleepMs: 300 }), invoke('echo', { sleepMs: 300 })]);
      const hanging = invoke<ErrorBody>('echo', { action: 'hang', stderr: 'hanging now' });
      await vi.waitFor(() => expect(logLines).toContain('[echo] hanging now'));

      await started.stop();

      expect(isRunning(first.body.pid)).toBe(false);
      expect(isRunning(second.body.pid)).toBe(false);
      await expect(hanging).resolves.toMatchObject({ body: { errorType: 'Runtime.ExitError' } });
      expect(() => started.endpoint).toThrow('LambdaEmulator is not started');
    });
  });
});
