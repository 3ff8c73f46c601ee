import type { Scenario } from './scenarios.js';
import { TARGET } from './scenarios.js';
import type { SimulationResult } from './simulation-metrics.js';

export interface Verdict {
  holds: boolean;
  reasons: string[];
}

/**
 * Whether a run meets the target. Sustained: no growing backlog (the queue's visible depth may not trend upward by
 * more than 0.5 % of the arrival rate — 18,000 messages an hour at 1,000/s), no dead letters, p99 < 10 s (an upload
 * never labelled counts as infinitely late). Burst: no dead letters and every upload labelled once it drains.
 */
export function judge(scenario: Scenario, result: SimulationResult, settingsProblems: string[] = []): Verdict {
  const reasons: string[] = [...settingsProblems];
  const deadLetters = result.classification.deadLetters + result.thumbnails.deadLetters;
  if (deadLetters > 0) {
    reasons.push(
      `${deadLetters} dead letters (classification ${result.classification.deadLetters}, thumbnails ${result.thumbnails.deadLetters})`,
    );
  }
  if (scenario.kind === 'sustained') {
    const allowedGrowth = Math.max(1, 0.005 * result.meanMeasuredRate);
    if (result.backlogGrowthPerSecond > allowedGrowth) {
      reasons.push(
        `growing backlog: +${result.backlogGrowthPerSecond.toFixed(1)} messages/s (limit ${allowedGrowth.toFixed(1)})`,
      );
    }
    if (!(result.latency.p99Seconds < TARGET.p99LimitSeconds)) {
      reasons.push(`p99 upload→label ${formatSeconds(result.latency.p99Seconds)} ≥ ${TARGET.p99LimitSeconds} s`);
    }
  }
  if (result.measuredUnlabelled > 0)
    reasons.push(`${result.measuredUnlabelled} uploads not labelled when the simulation ended`);
  const leftThumbnails = result.thumbnails.leftInQueue;
  if (leftThumbnails > 0) reasons.push(`${leftThumbnails} thumbnails still queued when the simulation ended`);
  return { holds: reasons.length === 0, reasons };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never (unlabelled uploads)';
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(0)} s`;
}
