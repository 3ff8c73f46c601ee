import { describe, expect, it } from 'vitest';
import { API_DESIGN_TARGET, apiLambdaConcurrency, apiStageThrottle } from './api-capacity.js';

describe('apiStageThrottle', () => {
  it('lets the design target through with headroom: 21,100 rps steady → 26,000 rps, bursts of 6,500', () => {
    expect(apiStageThrottle()).toEqual({ rateLimit: 26_000, burstLimit: 6_500 });
  });

  it('never throttles the target itself, and follows it when it changes', () => {
    const steady =
      API_DESIGN_TARGET.readsPerSecond + API_DESIGN_TARGET.uploadsPerSecond + API_DESIGN_TARGET.otherWritesPerSecond;
    expect(apiStageThrottle().rateLimit).toBeGreaterThan(steady);

    const doubled = { ...API_DESIGN_TARGET, readsPerSecond: 40_000 };
    expect(apiStageThrottle(doubled).rateLimit).toBe(50_000);
  });
});

describe('apiLambdaConcurrency', () => {
  it('needs 1,300 concurrent API executions at the full stage rate and 50 ms per invocation (Little’s law)', () => {
    expect(apiLambdaConcurrency()).toBe(1_300);
  });
});
