import { describe, expect, it } from 'vitest';
import { lognormal, scaled, sum } from './distributions.js';
import { SeededRandom } from './seeded-random.js';

describe('service time distributions', () => {
  it('fits a lognormal whose samples have the given median and 95th percentile', () => {
    const random = new SeededRandom(11);
    const distribution = lognormal(48, 92);
    const samples = Array.from({ length: 200_000 }, () => distribution.sample(random)).sort((a, b) => a - b);

    expect(samples[100_000]! / 48).toBeCloseTo(1, 1);
    expect(samples[190_000]! / 92).toBeCloseTo(1, 1);
    expect(samples.reduce((total, value) => total + value, 0) / samples.length / distribution.meanMs).toBeCloseTo(1, 1);
  });

  it('refuses percentiles that no lognormal has', () => {
    expect(() => lognormal(100, 50)).toThrow(RangeError);
    expect(() => lognormal(0, 50)).toThrow(RangeError);
  });

  it('adds and scales means', () => {
    expect(sum(lognormal(10, 20), scaled(lognormal(10, 20), 2)).meanMs).toBeCloseTo(3 * lognormal(10, 20).meanMs, 9);
  });
});
