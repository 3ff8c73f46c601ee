import type { PipelineSimulation } from './pipeline-simulation.js';
import type { TrafficPhase } from './traffic.js';

export interface MinuteSample {
  minute: number;
  uploads: number;
  /** ApproximateNumberOfMessagesVisible of the classification queue at the minute's end, and its highest. */
  visibleAtEnd: number;
  visibleMax: number;
  inFlightAtEnd: number;
  thumbnailVisibleMax: number;
  workerConcurrencyPeak: number;
  classifierConcurrencyPeak: number;
  classifierThrottles: number;
}

export interface ConsumerResult {
  deadLetters: number;
  redeliveries: number;
  workerInvocations: number;
  workerColdStarts: number;
  workerTimeouts: number;
  workerBilledSeconds: number;
  workerPeakConcurrency: number;
  queueRequests: number;
  /** Still in the queue (visible or in flight) when the simulation ended. */
  leftInQueue: number;
}

export interface SimulationResult {
  simulatedSeconds: number;
  uploads: number;
  measuredUploads: number;
  /** Measured uploads with no label by the end (still queued, dead-lettered, or lost to a timeout). */
  measuredUnlabelled: number;
  latency: { p50Seconds: number; p99Seconds: number; meanSeconds: number; maxSeconds: number };
  /** Time-average of the classification queue's messages (visible + in flight) over the measured stretch. */
  meanMessagesInQueue: number;
  /** Least-squares slope of the classification queue's visible depth over the measured stretch, messages/s. */
  backlogGrowthPerSecond: number;
  meanMeasuredRate: number;
  classification: ConsumerResult;
  thumbnails: ConsumerResult;
  classifier: {
    invocations: number;
    coldStarts: number;
    throttles: number;
    retriesSpent: number;
    billedSeconds: number;
    peakConcurrency: number;
  };
  minutes: MinuteSample[];
}

/** Counters and samples of one run; latencies are kept in a typed array and sorted once at the end. */
export class SimulationMetrics {
  private latencies = new Float32Array(1 << 16);
  private latencyCount = 0;
  private uploads = 0;
  private measuredUploads = 0;
  private measuredLabelled = 0;
  private readonly measuredFrom: number;
  private readonly measuredTo: number;
  private regression = { n: 0, t: 0, y: 0, ty: 0, tt: 0 };
  private inQueueTotal = 0;
  private readonly minutes: MinuteSample[] = [];
  private current: MinuteSample = emptyMinute(0);
  private lastThrottles = 0;
  classificationRetriesSpent = 0;
  classifierBilledSeconds = 0;
  readonly workerTimeouts = new Map<string, number>();
  readonly workerBilledSeconds = new Map<string, number>();

  constructor(traffic: TrafficPhase[]) {
    let start = 0;
    let from = Infinity;
    let to = 0;
    for (const phase of traffic) {
      if (phase.measured) {
        from = Math.min(from, start);
        to = start + phase.durationSeconds;
      }
      start += phase.durationSeconds;
    }
    this.measuredFrom = from;
    this.measuredTo = to;
  }

  uploaded(measured: boolean): void {
    this.uploads += 1;
    if (measured) this.measuredUploads += 1;
    this.current.uploads += 1;
  }

  labelled(measured: boolean, latencySeconds: number): void {
    if (!measured) return;
    this.measuredLabelled += 1;
    if (this.latencyCount === this.latencies.length) {
      const grown = new Float32Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.latencyCount++] = latencySeconds;
  }

  /** Once a simulated second. */
  sample(simulation: PipelineSimulation): void {
    const queue = simulation.classification.queue;
    const visible = queue.visibleCount;
    if (simulation.now >= this.measuredFrom && simulation.now <= this.measuredTo) {
      const r = this.regression;
      r.n += 1;
      r.t += simulation.now;
      r.y += visible;
      r.ty += simulation.now * visible;
      r.tt += simulation.now * simulation.now;
      this.inQueueTotal += visible + queue.inFlight;
    }
    this.current.visibleMax = Math.max(this.current.visibleMax, visible);
    this.current.thumbnailVisibleMax = Math.max(
      this.current.thumbnailVisibleMax,
      simulation.thumbnails.queue.visibleCount,
    );
    const second = Math.round(simulation.now);
    if (second > 0 && second % 60 === 0) {
      this.current.visibleAtEnd = visible;
      this.current.inFlightAtEnd = queue.inFlight;
      this.current.workerConcurrencyPeak = simulation.workerPool(simulation.classification).takePeak();
      this.current.classifierConcurrencyPeak = simulation.classifierPool.takePeak();
      this.current.classifierThrottles = simulation.classifierPool.throttles - this.lastThrottles;
      this.lastThrottles = simulation.classifierPool.throttles;
      this.minutes.push(this.current);
      this.current = emptyMinute(second / 60);
    }
  }

  result(simulation: PipelineSimulation): SimulationResult {
    const sorted = this.latencies.subarray(0, this.latencyCount).sort();
    const unlabelled = this.measuredUploads - this.measuredLabelled;
    const total = this.latencyCount + unlabelled;
    // Unlabelled uploads count as infinitely late: a percentile never hides them.
    const percentile = (q: number) => {
      if (total === 0) return 0;
      const index = Math.min(total - 1, Math.floor(q * total));
      return index < this.latencyCount ? sorted[index]! : Infinity;
    };
    const sum = sorted.reduce((acc, value) => acc + value, 0);
    const r = this.regression;
    const slope = r.n > 1 ? (r.n * r.ty - r.t * r.y) / (r.n * r.tt - r.t * r.t) : 0;
    const consumer = (mapping: PipelineSimulation['classification']): ConsumerResult => {
      const pool = simulation.workerPool(mapping);
      return {
        deadLetters: mapping.queue.deadLetters.length,
        redeliveries: mapping.redeliveries,
        workerInvocations: pool.invocations,
        workerColdStarts: pool.coldStarts,
        workerTimeouts: this.workerTimeouts.get(mapping.name) ?? 0,
        workerBilledSeconds: this.workerBilledSeconds.get(mapping.name) ?? 0,
        workerPeakConcurrency: pool.peakConcurrency,
        queueRequests: mapping.queue.requests,
        leftInQueue: mapping.queue.visibleCount + mapping.queue.inFlight,
      };
    };
    const pool = simulation.classifierPool;
    return {
      simulatedSeconds: simulation.now,
      uploads: this.uploads,
      measuredUploads: this.measuredUploads,
      measuredUnlabelled: unlabelled,
      latency: {
        p50Seconds: percentile(0.5),
        p99Seconds: percentile(0.99),
        meanSeconds: this.latencyCount > 0 ? sum / this.latencyCount : 0,
        maxSeconds: unlabelled > 0 ? Infinity : (sorted[this.latencyCount - 1] ?? 0),
      },
      meanMessagesInQueue: r.n > 0 ? this.inQueueTotal / r.n : 0,
      backlogGrowthPerSecond: slope,
      meanMeasuredRate:
        this.measuredTo > this.measuredFrom ? this.measuredUploads / (this.measuredTo - this.measuredFrom) : 0,
      classification: consumer(simulation.classification),
      thumbnails: consumer(simulation.thumbnails),
      classifier: {
        invocations: pool.invocations,
        coldStarts: pool.coldStarts,
        throttles: pool.throttles,
        retriesSpent: this.classificationRetriesSpent,
        billedSeconds: this.classifierBilledSeconds,
        peakConcurrency: pool.peakConcurrency,
      },
      minutes: this.minutes,
    };
  }
}

function emptyMinute(minute: number): MinuteSample {
  return {
    minute,
    uploads: 0,
    visibleAtEnd: 0,
    visibleMax: 0,
    inFlightAtEnd: 0,
    thumbnailVisibleMax: 0,
    workerConcurrencyPeak: 0,
    classifierConcurrencyPeak: 0,
    classifierThrottles: 0,
  };
}
