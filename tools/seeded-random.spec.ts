import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';

describe('seededRandom', () => {
  it('replays the same draws for the same seed, in [0, 1)', () => {
    const first = Array.from({ length: 100 }, seededRandom(42));
    const again = Array.from({ length: 100 }, seededRandom(42));

    expect(again).toEqual(first);
    expect(first.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    expect(new Set(first).size).toBe(100);
  });
});
