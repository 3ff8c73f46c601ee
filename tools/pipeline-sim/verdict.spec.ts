import { describe, expect, it } from 'vitest';
import { burstScenario, sustainedScenario } from './scenarios.js';
import type { ConsumerResult, SimulationResult } from './simulation-metrics.js';
import { judge } from './verdict.js';

const consumer = (changes: Partial<ConsumerResult> = {}): ConsumerResult => ({
  deadLetters: 0,
  redeliveries: 0,
  workerInvocations: 100,
  workerColdStarts: 1,
  workerTimeouts: 0,
  workerBilledSeconds: 10,
  workerPeakConcurrency: 10,
  queueRequests: 300,
  leftInQueue: 0,
  ...changes,
});

const healthy = (changes: Partial<SimulationResult> = {}): SimulationResult => ({
  simulatedSeconds: 3_900,
  uploads: 3_600_000,
  measuredUploads: 3_300_000,
  measuredUnlabelled: 0,
  latency: { p50Seconds: 0.7, p99Seconds: 2.5, meanSeconds: 0.8, maxSeconds: 9 },
  meanMessagesInQueue: 300,
  backlogGrowthPerSecond: 0.01,
  meanMeasuredRate: 1_000,
  classification: consumer(),
  thumbnails: consumer(),
  classifier: { invocations: 1, coldStarts: 1, throttles: 0, retriesSpent: 0, billedSeconds: 1, peakConcurrency: 1 },
  minutes: [],
  ...changes,
});

describe('judge', () => {
  it('passes a sustained run with a flat backlog, no dead letters and p99 under 10 s', () => {
    expect(judge(sustainedScenario(), healthy())).toEqual({ holds: true, reasons: [] });
  });

  it('fails a sustained run for a growing backlog, dead letters, a p99 of 10 s or more, and reservations that do not fit', () => {
    const verdict = judge(
      sustainedScenario(),
      healthy({
        backlogGrowthPerSecond: 6,
        latency: { p50Seconds: 1, p99Seconds: 10, meanSeconds: 2, maxSeconds: 12 },
        classification: consumer({ deadLetters: 3 }),
      }),
      ['reserved concurrency 1000 leaves 0 unreserved in an account of 1000 (Lambda keeps at least 100)'],
    );

    expect(verdict).toEqual({
      holds: false,
      reasons: [
        'reserved concurrency 1000 leaves 0 unreserved in an account of 1000 (Lambda keeps at least 100)',
        '3 dead letters (classification 3, thumbnails 0)',
        'growing backlog: +6.0 messages/s (limit 5.0)',
        'p99 upload→label 10 s ≥ 10 s',
      ],
    });
  });

  it('counts uploads never labelled as infinitely late', () => {
    const verdict = judge(
      sustainedScenario(),
      healthy({
        measuredUnlabelled: 5,
        latency: { p50Seconds: 1, p99Seconds: Infinity, meanSeconds: 1, maxSeconds: Infinity },
      }),
    );

    expect(verdict.reasons).toEqual([
      'p99 upload→label never (unlabelled uploads) ≥ 10 s',
      '5 uploads not labelled when the simulation ended',
    ]);
  });

  it('holds a burst to nothing lost and a drained queue, not to the sustained latency', () => {
    const slowButComplete = healthy({
      backlogGrowthPerSecond: 170,
      latency: { p50Seconds: 600, p99Seconds: 1_100, meanSeconds: 580, maxSeconds: 1_107 },
    });

    expect(judge(burstScenario(), slowButComplete).holds).toBe(true);
    expect(judge(burstScenario(), healthy({ thumbnails: consumer({ leftInQueue: 7 }) })).reasons).toEqual([
      '7 thumbnails still queued when the simulation ended',
    ]);
  });
});
