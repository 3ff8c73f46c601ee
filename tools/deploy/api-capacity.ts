/**
 * The arithmetic behind the HTTP API's stage throttle and the quotas to raise (docs/DEPLOY.md, "Capacity: stage
 * throttle, quotas and the CDN"). serverless.ts takes its numbers from here and the stack test checks the packaged
 * template against them, so a changed target changes the stack and the documented table together.
 */

export interface ApiDesignTarget {
  readsPerSecond: number;
  uploadsPerSecond: number;
  otherWritesPerSecond: number;
  headroom: number;
  burstSeconds: number;
  meanInvocationMs: number;
}

/** The design target: requests per second reaching the HTTP API when the CDN cache misses (the worst case). */
export const API_DESIGN_TARGET: Readonly<ApiDesignTarget> = {
  /** Front page, a hot group's page, label search, single images. */
  readsPerSecond: 20_000,
  /** One POST /groups/:groupId/images per upload. */
  uploadsPerSecond: 1_000,
  /** Deletes, groups, re-classifications: a tenth of the uploads. */
  otherWritesPerSecond: 100,
  /** Above the steady rate, so a normal fluctuation is never throttled. */
  headroom: 0.2,
  /** How long a spike above the rate is absorbed (the token bucket's depth, in seconds of the rate). */
  burstSeconds: 0.25,
  /** Mean duration of an API invocation, warm (ms): bench:api and the HTTP API's integration latency. */
  meanInvocationMs: 50,
};

export interface ApiStageThrottle {
  /** Steady requests per second on the stage (API Gateway's ThrottlingRateLimit). */
  rateLimit: number;
  /** Requests accepted at once above the rate (ThrottlingBurstLimit). */
  burstLimit: number;
}

/** Steady = reads + uploads + other writes; rate = steady × (1 + headroom), rounded up to a thousand. */
export function apiStageThrottle(target: ApiDesignTarget = API_DESIGN_TARGET): ApiStageThrottle {
  const steady = target.readsPerSecond + target.uploadsPerSecond + target.otherWritesPerSecond;
  const rateLimit = Math.ceil((steady * (1 + target.headroom)) / 1_000) * 1_000;
  return { rateLimit, burstLimit: Math.ceil(rateLimit * target.burstSeconds) };
}

/** Little's law: concurrent API executions = arrival rate × mean duration, at the stage's full rate. */
export function apiLambdaConcurrency(target: ApiDesignTarget = API_DESIGN_TARGET): number {
  return Math.ceil((apiStageThrottle(target).rateLimit * target.meanInvocationMs) / 1_000);
}
