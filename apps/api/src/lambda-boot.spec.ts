import { StructuredLogger } from '@app/observability';
import { Injectable, Module } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedApplicationContext, lambdaBoot, lambdaLogger } from './lambda-boot.js';

@Injectable()
class Greeter {
  readonly greeting = 'hello';
}

@Module({ providers: [Greeter] })
class GreeterModule {}

let starts = 0;

@Injectable()
class FailsOnce {
  constructor() {
    starts += 1;
    if (starts === 1) throw new Error('cold start failed');
  }
}

@Module({ providers: [FailsOnce] })
class FailsOnceModule {}

describe('lambdaBoot', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('boots once for concurrent first invocations and gives every later one the same result', async () => {
    const boot = vi.fn(() => Promise.resolve({ booted: true }));
    const booted = lambdaBoot('udagram-api', boot);

    const [first, second] = await Promise.all([booted(), booted()]);
    const third = await booted();

    expect(first).toBe(second);
    expect(third).toBe(first);
    expect(boot).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed boot: the next invocation boots again', async () => {
    const boot = vi
      .fn()
      .mockRejectedValueOnce(new Error('DynamoDB endpoint unreachable'))
      .mockResolvedValueOnce('booted');
    const booted = lambdaBoot('notifier', boot);

    await expect(booted()).rejects.toThrow('DynamoDB endpoint unreachable');

    await expect(booted()).resolves.toBe('booted');
    expect(boot).toHaveBeenCalledTimes(2);
  });

  it('gives Nest the function’s JSON logger and asks it to throw rather than exit on a failed boot', async () => {
    const boot = vi.fn((options: unknown) => Promise.resolve(options));
    const options = await lambdaBoot('websocket', boot)();

    expect(options).toEqual({ logger: expect.any(StructuredLogger), abortOnError: false });
  });

  it('logs JSON lines that name the function', () => {
    // As in Lambda: no local log directory, no readable lines.
    vi.stubEnv('UDAGRAM_LOG_DIR', '');
    vi.stubEnv('UDAGRAM_LOG_PRETTY', '');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    lambdaLogger('thumbnail-worker').log('started');

    expect(write).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(write.mock.calls[0]![0])) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'INFO', message: 'started', service: 'thumbnail-worker' });
    vi.unstubAllEnvs();
  });
});

describe('cachedApplicationContext', () => {
  it('builds the context once and gives every invocation the same one', async () => {
    const context = cachedApplicationContext(GreeterModule, 'notifier');

    const [first, second] = await Promise.all([context(), context()]);

    expect(second).toBe(first);
    expect(first.get(Greeter).greeting).toBe('hello');
    await first.close();
  });

  it('does not keep a failed start: the next invocation builds the context again', async () => {
    const context = cachedApplicationContext(FailsOnceModule, 'websocket');

    await expect(context()).rejects.toThrow('cold start failed');
    const second = await context();

    expect(second.get(FailsOnce)).toBeInstanceOf(FailsOnce);
    expect(starts).toBe(2);
    await second.close();
  });
});
