import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryTiming {
  sleep(ms: number): Promise<unknown>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const systemRetryTiming: RetryTiming = { sleep: (ms) => sleep(ms), random: Math.random };

/** Exponential back-off with full jitter: uniform in [0, min(maxDelayMs, baseDelayMs · 2^(retry−1))). */
export function fullJitterDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
}
