import type { SeededRandom } from './seeded-random.js';

/** A stretch of constant upload rate; `measured` uploads count in the latency percentiles. */
export interface TrafficPhase {
  durationSeconds: number;
  uploadsPerSecond: number;
  measured: boolean;
}

/** A linear ramp from `from` to `to` uploads/s, as steps of `stepSeconds` (traffic grows; it does not jump). */
export function ramp(from: number, to: number, durationSeconds: number, stepSeconds = 10): TrafficPhase[] {
  const steps = Math.max(1, Math.round(durationSeconds / stepSeconds));
  return Array.from({ length: steps }, (_, step) => ({
    durationSeconds: durationSeconds / steps,
    uploadsPerSecond: from + ((to - from) * (step + 0.5)) / steps,
    measured: false,
  }));
}

/**
 * Poisson arrivals through piecewise-constant rates: exponential gaps at the current phase's rate; a gap that runs
 * past the phase's end restarts at that end with the next phase's rate (the process is memoryless).
 */
export class PoissonArrivals {
  private phaseIndex = 0;
  private phaseEnd: number;

  constructor(
    private readonly phases: TrafficPhase[],
    private readonly random: SeededRandom,
  ) {
    this.phaseEnd = phases[0]?.durationSeconds ?? 0;
  }

  get endSeconds(): number {
    return this.phases.reduce((total, phase) => total + phase.durationSeconds, 0);
  }

  /** The next arrival after `now` and whether its phase is measured; undefined once the traffic is over. */
  next(now: number): { time: number; measured: boolean } | undefined {
    let time = now;
    while (this.phaseIndex < this.phases.length) {
      const phase = this.phases[this.phaseIndex]!;
      if (phase.uploadsPerSecond > 0) {
        const candidate = time + this.random.exponential(phase.uploadsPerSecond);
        if (candidate < this.phaseEnd) return { time: candidate, measured: phase.measured };
      }
      time = this.phaseEnd;
      this.phaseIndex += 1;
      this.phaseEnd += this.phases[this.phaseIndex]?.durationSeconds ?? 0;
    }
    return undefined;
  }
}
