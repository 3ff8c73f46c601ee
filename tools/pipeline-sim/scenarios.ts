import { ramp, type TrafficPhase } from './traffic.js';

/**
 * The design target (README, issue "Pipeline at internet scale"): 1,000 uploads/s sustained for an hour with p99
 * upload→label under 10 s and nothing dead-lettered; bursts of 3× for 10 minutes, nothing lost. Both begin with a
 * ramp from zero (unmeasured): traffic grows, and Lambda's pollers grow 300 a minute behind it.
 */
export const TARGET = { sustainedUploadsPerSecond: 1_000, p99LimitSeconds: 10, burstFactor: 3 } as const;

export interface Scenario {
  name: string;
  /** The unmeasured ramp from zero at the start. */
  rampSeconds: number;
  traffic: TrafficPhase[];
  /** Sustained: the target's latency and backlog limits apply. Burst: only nothing lost, and a drained queue. */
  kind: 'sustained' | 'burst';
}

const RAMP_SECONDS = 300;

export function sustainedScenario({
  measuredSeconds = 3_600,
  rampSeconds = RAMP_SECONDS,
  rate = TARGET.sustainedUploadsPerSecond,
}: { measuredSeconds?: number; rampSeconds?: number; rate?: number } = {}): Scenario {
  return {
    name: `${rate.toLocaleString('en-US')} uploads/s for ${formatDuration(measuredSeconds)}`,
    kind: 'sustained',
    rampSeconds,
    traffic: [
      ...ramp(0, rate, rampSeconds),
      { durationSeconds: measuredSeconds, uploadsPerSecond: rate, measured: true },
    ],
  };
}

/** 10 minutes steady, the burst (3,000/s on top of the steady rate) for 10 minutes, then 40 minutes steady. */
export function burstScenario(burstSeconds = 600, rate: number = TARGET.sustainedUploadsPerSecond): Scenario {
  const burstRate = rate + TARGET.burstFactor * rate;
  return {
    name: `${rate.toLocaleString('en-US')} uploads/s + a burst of ${(TARGET.burstFactor * rate).toLocaleString('en-US')}/s for ${formatDuration(burstSeconds)}`,
    kind: 'burst',
    rampSeconds: RAMP_SECONDS,
    traffic: [
      ...ramp(0, rate, RAMP_SECONDS),
      { durationSeconds: 600, uploadsPerSecond: rate, measured: true },
      { durationSeconds: burstSeconds, uploadsPerSecond: burstRate, measured: true },
      { durationSeconds: 2_400, uploadsPerSecond: rate, measured: true },
    ],
  };
}

function formatDuration(seconds: number): string {
  return seconds % 3_600 === 0 ? `${seconds / 3_600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
