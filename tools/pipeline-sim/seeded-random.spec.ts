import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.js';

const draw = (random: SeededRandom, count: number) => Array.from({ length: count }, () => random.next());

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const first = draw(new SeededRandom(42), 1_000);

    expect(draw(new SeededRandom(42), 1_000)).toEqual(first);
    expect(draw(new SeededRandom(43), 1_000)).not.toEqual(first);
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draw(new SeededRandom(7), 100_000);
    const deciles = new Array<number>(10).fill(0);
    for (const value of values) deciles[Math.floor(value * 10)]! += 1;

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    for (const decile of deciles) expect(Math.abs(decile - 10_000)).toBeLessThan(400);
  });

  it('draws exponential gaps with mean 1/rate and standard normals with mean 0 and variance 1', () => {
    const random = new SeededRandom(3);
    const gaps = Array.from({ length: 100_000 }, () => random.exponential(250));
    const normals = Array.from({ length: 100_000 }, () => random.normal());
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

    expect(mean(gaps)).toBeCloseTo(1 / 250, 4);
    expect(mean(normals)).toBeCloseTo(0, 1);
    expect(mean(normals.map((value) => value * value))).toBeCloseTo(1, 1);
  });
});
