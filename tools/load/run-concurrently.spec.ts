import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runConcurrently } from './run-concurrently.js';

describe('runConcurrently', () => {
  it('runs every index once, never more than the limit at a time', async () => {
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;

    await runConcurrently(10, 3, async (index) => {
      started.push(index);
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await delay(5 + (index % 3) * 5);
      running -= 1;
    });

    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(mostAtOnce).toBe(3);
  });

  it('starts them all at once when the limit is above the count', async () => {
    let running = 0;
    let mostAtOnce = 0;

    await runConcurrently(4, 200, async () => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await delay(5);
      running -= 1;
    });

    expect(mostAtOnce).toBe(4);
  });
});
