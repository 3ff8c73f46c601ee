import { describe, expect, it, vi } from 'vitest';
import { FirstPageCache } from './first-page-cache.js';

describe('FirstPageCache', () => {
  it('loads a key once per TTL, with one load in flight for concurrent readers', async () => {
    let now = 0;
    const cache = new FirstPageCache<number>(1000, 10, () => now);
    const load = vi.fn(async () => now);

    await expect(Promise.all([cache.get('front', load), cache.get('front', load)])).resolves.toEqual([0, 0]);
    now = 999;
    await expect(cache.get('front', load)).resolves.toBe(0);
    now = 1000;
    await expect(cache.get('front', load)).resolves.toBe(1000);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('always reads through with a TTL of 0', async () => {
    const cache = new FirstPageCache<string>(0);
    const load = vi.fn(async () => 'page');

    await cache.get('front', load);
    await cache.get('front', load);

    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new FirstPageCache<string>(1000);
    await expect(cache.get('front', () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');

    await expect(cache.get('front', async () => 'page')).resolves.toBe('page');
  });

  it('holds at most maxEntries keys', async () => {
    const cache = new FirstPageCache<number>(60_000, 2);
    const load = vi.fn(async () => 1);
    for (const key of ['a', 'b', 'c']) await cache.get(key, load);

    await cache.get('a', load);

    expect(load).toHaveBeenCalledTimes(4);
  });
});
