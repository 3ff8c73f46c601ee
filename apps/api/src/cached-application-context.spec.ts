import { Injectable, Module } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { cachedApplicationContext } from './cached-application-context.js';

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

describe('cachedApplicationContext', () => {
  it('builds the context once and gives every invocation the same one', async () => {
    const context = cachedApplicationContext(GreeterModule, ['error']);

    const [first, second] = await Promise.all([context(), context()]);

    expect(second).toBe(first);
    expect(first.get(Greeter).greeting).toBe('hello');
    await first.close();
  });

  it('does not keep a failed start: the next invocation builds the context again', async () => {
    const context = cachedApplicationContext(FailsOnceModule, []);

    await expect(context()).rejects.toThrow('cold start failed');
    const second = await context();

    expect(second.get(FailsOnce)).toBeInstanceOf(FailsOnce);
    expect(starts).toBe(2);
    await second.close();
  });
});
