import { setTimeout as sleep } from 'node:timers/promises';

/** How a retry loop waits and draws its jitter; tests replace it. */
export interface RetryTiming {
  sleep(ms: number): Promise<unknown>;
  /** Uniform in [0, 1); passed on as a plain function, so a property rather than a method. */
  random: () => number;
}

/** For a loop with a time budget: the timing and a clock. */
export interface RetryClock extends RetryTiming {
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

export const systemRetryTiming: RetryClock = {
  sleep: (ms) => sleep(ms),
  random: Math.random,
  now: () => performance.now(),
};

/** Exponential back-off with full jitter: uniform in [0, min(maxDelayMs, baseDelayMs · 2^(retry−1))). */
export function fullJitterDelayMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
}
