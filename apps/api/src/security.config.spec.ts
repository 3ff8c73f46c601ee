import type { ExecutionContext } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WRITE_RATE_LIMIT, securityConfig, writeThrottlerOptions } from './security.config.js';

const contextOf = (method: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ method }) }) }) as unknown as ExecutionContext;

describe('securityConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('allows a generous number of writes a minute by default', () => {
    vi.stubEnv('WRITE_RATE_LIMIT', undefined);

    expect(securityConfig()).toEqual({ writeRateLimitPerMinute: DEFAULT_WRITE_RATE_LIMIT });
  });

  it('reads WRITE_RATE_LIMIT', () => {
    vi.stubEnv('WRITE_RATE_LIMIT', '3');

    expect(securityConfig()).toEqual({ writeRateLimitPerMinute: 3 });
  });

  it.each(['0', '-1', 'many', '2.5'])('refuses WRITE_RATE_LIMIT=%s at boot', (value) => {
    vi.stubEnv('WRITE_RATE_LIMIT', value);

    expect(() => securityConfig()).toThrow(/WRITE_RATE_LIMIT/);
  });
});

describe('writeThrottlerOptions', () => {
  const options = writeThrottlerOptions({ writeRateLimitPerMinute: 5 });
  if (Array.isArray(options)) throw new Error('expected the options object');

  it('throttles writes only', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE'].map((method) => options.skipIf!(contextOf(method)))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('counts the verified user, and the address only when there is none', () => {
    const context = contextOf('POST');

    expect(options.getTracker!({ user: { userId: 'alice' }, ip: '10.0.0.1' }, context)).toBe('user:alice');
    expect(options.getTracker!({ ip: '10.0.0.1' }, context)).toBe('ip:10.0.0.1');
  });

  it('keys the budget by user alone, so every write route shares it', () => {
    const [groups, images] = [contextOf('POST'), contextOf('DELETE')];

    expect(options.generateKey!(groups, 'user:alice', 'writes')).toBe(
      options.generateKey!(images, 'user:alice', 'writes'),
    );
    expect(options.generateKey!(groups, 'user:alice', 'writes')).not.toBe(
      options.generateKey!(groups, 'user:bob', 'writes'),
    );
  });
});
