import { describe, expect, it } from 'vitest';
import type { RetryBudget } from './aws.config.js';
import { fullJitterDelayMs } from './retry-timing.js';
import { retryWithinBudget } from './retry-within-budget.js';

const BUDGET: RetryBudget = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 100, budgetMs: 10_000 };

/** A clock that moves only when the loop sleeps. */
function fakeClock(random: () => number = () => 0.999) {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    timing: {
      now: () => now,
      random,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

const transient = () => Object.assign(new Error('throttled'), { name: 'Transient' });
const isTransient = (error: unknown) => error instanceof Error && error.name === 'Transient';

describe('retryWithinBudget', () => {
  it('returns the first success, retrying transient failures only', async () => {
    const clock = fakeClock();
    let calls = 0;

    const result = await retryWithinBudget(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw transient();
        return 'done';
      },
      isTransient,
      BUDGET,
      clock.timing,
    );

    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('rethrows a failure it must not retry at once', async () => {
    const clock = fakeClock();
    const bug = new Error('bug');

    await expect(retryWithinBudget(async () => Promise.reject(bug), isTransient, BUDGET, clock.timing)).rejects.toBe(
      bug,
    );
    expect(clock.sleeps).toEqual([]);
  });

  it('stops after maxAttempts and rethrows the last failure', async () => {
    const clock = fakeClock();
    let calls = 0;
    const last = transient();

    const run = retryWithinBudget(
      async () => {
        calls += 1;
        throw calls === BUDGET.maxAttempts ? last : transient();
      },
      isTransient,
      BUDGET,
      clock.timing,
    );

    await expect(run).rejects.toBe(last);
    expect(calls).toBe(BUDGET.maxAttempts);
  });

  it('waits with exponential back-off capped at maxDelayMs (jitter at its top)', async () => {
    const clock = fakeClock(() => 0.999);

    await expect(
      retryWithinBudget(async () => Promise.reject(transient()), isTransient, BUDGET, clock.timing),
    ).rejects.toThrow();

    expect(clock.sleeps).toEqual([19, 39, 79, 99]);
  });

  it('starts no wait that would end past the time budget', async () => {
    const clock = fakeClock(() => 0.999);
    let calls = 0;

    await expect(
      retryWithinBudget(
        async () => {
          calls += 1;
          throw transient();
        },
        isTransient,
        { ...BUDGET, maxAttempts: 10, budgetMs: 150 },
        clock.timing,
      ),
    ).rejects.toThrow('throttled');

    // 19 + 39 + 79 = 137 ms; the next wait (99 ms) would end at 236 ms > 150 ms.
    expect(clock.sleeps).toEqual([19, 39, 79]);
    expect(calls).toBe(4);
  });
});

describe('fullJitterDelayMs', () => {
  it('stays within [0, min(max, base·2^(retry−1))) for every draw', () => {
    for (let retry = 1; retry <= 12; retry++) {
      const ceiling = Math.min(400, 25 * 2 ** (retry - 1));
      for (const draw of [0, 0.25, 0.5, 0.999_999]) {
        const delay = fullJitterDelayMs(retry, 25, 400, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads the draws over the whole window (full jitter, not equal jitter)', () => {
    expect(fullJitterDelayMs(3, 25, 400, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, 25, 400, () => 0.5)).toBe(50);
  });
});
