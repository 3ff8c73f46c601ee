import type { RetryBudget } from './aws.config.js';
import { fullJitterDelayMs, type RetryClock } from './retry-timing.js';

/**
 * Runs `operation` until it succeeds, fails with an error `isRetryable` refuses, or the budget is spent — at most
 * `maxAttempts` attempts, and no wait that would end past `budgetMs` after the first attempt began — then rethrows
 * the last error. Waits use exponential back-off with full jitter, so clients that collided spread out.
 */
export async function retryWithinBudget<T>(
  operation: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  budget: RetryBudget,
  timing: RetryClock,
): Promise<T> {
  const startedAt = timing.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetryable(error) || attempt >= budget.maxAttempts) throw error;
      const delayMs = fullJitterDelayMs(attempt, budget.baseDelayMs, budget.maxDelayMs, timing.random);
      if (timing.now() - startedAt + delayMs > budget.budgetMs) throw error;
      await timing.sleep(delayMs);
    }
  }
}
