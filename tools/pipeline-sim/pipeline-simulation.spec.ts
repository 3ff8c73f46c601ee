import { describe, expect, it } from 'vitest';
import { contractTemplate, CONTRACT_FIXTURE_SETTINGS, type ContractFixtureSettings } from './contract-template.js';
import { constant, exponential } from './distributions.js';
import { PipelineSimulation, type SimulationAssumptions } from './pipeline-simulation.js';
import { readPipelineSettings } from './pipeline-settings.js';
import type { ServiceTimeModel } from './service-times.js';
import type { TrafficPhase } from './traffic.js';

const instant = constant(0);
/** Every step free except the classifier: the worker's service time is the classifier's. */
const onlyClassifier = (classifierWarmMs: number, exponentialService = true): ServiceTimeModel => ({
  s3NotificationToQueue: instant,
  dynamoDbCall: instant,
  dynamoDbTransaction: instant,
  lambdaInvokeOverhead: instant,
  lambdaThrottleResponse: instant,
  classifierWarm: exponentialService ? exponential(classifierWarmMs) : constant(classifierWarmMs),
  classifierColdStart: instant,
  workerColdStart: instant,
  thumbnailRecord: instant,
});

function settingsWith(change: (fixture: ContractFixtureSettings) => void) {
  const fixture = structuredClone(CONTRACT_FIXTURE_SETTINGS);
  change(fixture);
  return readPipelineSettings(contractTemplate(fixture));
}

const fixedPollers = (count: number): Partial<SimulationAssumptions> => ({
  pollerScaling: { initialConcurrency: count, scaleUpPerMinute: 0, scaleDownPerSecond: 0 },
  workerReturnSeconds: 0,
});

/** Erlang C: the mean time in an M/M/c system (waiting plus service). */
function erlangCMeanTimeInSystem(arrivalRate: number, serviceRate: number, servers: number): number {
  const offered = arrivalRate / serviceRate;
  let term = 1;
  let sumBelow = 0;
  for (let k = 0; k < servers; k++) {
    sumBelow += term;
    term *= offered / (k + 1);
  }
  const top = term / (1 - offered / servers);
  const probabilityOfWaiting = top / (sumBelow + top);
  return probabilityOfWaiting / (servers * serviceRate - arrivalRate) + 1 / serviceRate;
}

// A simulated minute at hundreds of uploads/s is a second of CPU, more on a busy machine.
describe('PipelineSimulation', () => {
  const steady = (rate: number, seconds: number): TrafficPhase[] => [
    { durationSeconds: 100, uploadsPerSecond: rate, measured: false },
    { durationSeconds: seconds, uploadsPerSecond: rate, measured: true },
  ];

  it('matches the analytic M/M/c mean (Erlang C) and Little’s law with batch size 1, no window and c fixed pollers', () => {
    const servers = 10;
    const arrivalRate = 80;
    const serviceRate = 10; // 100 ms mean, ρ = 0.8
    const settings = settingsWith((fixture) => {
      fixture.classification = {
        ...fixture.classification,
        batchSize: 1,
        batchingWindowSeconds: 0,
        maximumConcurrency: servers,
      };
    });

    const result = new PipelineSimulation({
      settings,
      serviceTimes: onlyClassifier(1000 / serviceRate),
      traffic: steady(arrivalRate, 1_500),
      seed: 5,
      assumptions: fixedPollers(servers),
    }).run();

    const analytic = erlangCMeanTimeInSystem(arrivalRate, serviceRate, servers);
    expect(analytic).toBeCloseTo(0.1204, 3);
    expect(result.latency.meanSeconds / analytic).toBeGreaterThan(0.96);
    expect(result.latency.meanSeconds / analytic).toBeLessThan(1.04);
    // L = λW: the time-average number of messages in the queue (visible or being processed).
    expect(result.meanMessagesInQueue / (arrivalRate * analytic)).toBeGreaterThan(0.93);
    expect(result.meanMessagesInQueue / (arrivalRate * analytic)).toBeLessThan(1.07);
    expect(result.classifier.throttles).toBe(0);
  }, 60_000);

  it('gives the same result for the same seed and a different one for another seed', () => {
    const settings = readPipelineSettings(contractTemplate());
    const run = (seed: number) =>
      new PipelineSimulation({ settings, serviceTimes: onlyClassifier(150), traffic: steady(200, 60), seed }).run();

    const first = run(1);

    expect(run(1)).toEqual(first);
    expect(run(2).latency).not.toEqual(first.latency);
  }, 60_000);

  it('redelivers the batch of a worker that times out after the visibility timeout, and dead-letters it after maxReceiveCount', () => {
    // The classifier takes 2 s, the worker may run 1 s: every invocation times out and deletes nothing.
    const settings = settingsWith((fixture) => {
      fixture.classification = {
        ...fixture.classification,
        visibilityTimeoutSeconds: 5,
        maxReceiveCount: 3,
        batchingWindowSeconds: 0,
      };
      fixture.classificationWorker.timeoutSeconds = 1;
    });

    const result = new PipelineSimulation({
      settings,
      serviceTimes: onlyClassifier(2_000, false),
      traffic: [{ durationSeconds: 10, uploadsPerSecond: 2, measured: true }],
      seed: 1,
    }).run();

    const uploads = result.uploads;
    expect(uploads).toBeGreaterThan(5);
    expect(result.classification.deadLetters).toBe(uploads);
    expect(result.classification.redeliveries).toBe(2 * uploads);
    expect(result.classification.workerTimeouts).toBeGreaterThanOrEqual(3);
    expect(result.measuredUnlabelled).toBe(uploads);
    expect(result.latency.p99Seconds).toBe(Infinity);
  });

  it('sends throttled records back to the queue after the worker’s retries and labels every one of them later', () => {
    // One classifier sandbox for batches of 10 run in parallel, one attempt each: most records are throttled.
    const settings = settingsWith((fixture) => {
      fixture.classification = {
        ...fixture.classification,
        visibilityTimeoutSeconds: 2,
        maxReceiveCount: 1_000,
        maximumConcurrency: 2,
      };
      fixture.classifier.reservedConcurrency = 1;
      fixture.classifierRetry.maxAttempts = 1;
    });

    const result = new PipelineSimulation({
      settings,
      serviceTimes: onlyClassifier(10, false),
      traffic: [{ durationSeconds: 5, uploadsPerSecond: 20, measured: true }],
      seed: 1,
    }).run();

    expect(result.classifier.throttles).toBeGreaterThan(0);
    expect(result.classifier.retriesSpent).toBe(result.classifier.throttles);
    expect(result.classification.redeliveries).toBeGreaterThan(0);
    expect(result.classification.deadLetters).toBe(0);
    expect(result.measuredUnlabelled).toBe(0);
    expect(result.classifier.peakConcurrency).toBe(1);
  });

  it('re-runs the batch-mates of a failed record when the mapping does not report batch item failures', () => {
    const withReports = settingsWith((fixture) => {
      fixture.classification = {
        ...fixture.classification,
        visibilityTimeoutSeconds: 2,
        maxReceiveCount: 1_000,
        maximumConcurrency: 2,
      };
      fixture.classifier.reservedConcurrency = 3;
      fixture.classifierRetry.maxAttempts = 1;
    });
    const withoutReports = {
      ...withReports,
      classification: { ...withReports.classification, reportBatchItemFailures: false },
    };
    const run = (settings: typeof withReports) =>
      new PipelineSimulation({
        settings,
        serviceTimes: onlyClassifier(10, false),
        traffic: [{ durationSeconds: 5, uploadsPerSecond: 20, measured: true }],
        seed: 1,
      }).run();

    const partial = run(withReports);
    const whole = run(withoutReports);

    expect(whole.classification.redeliveries).toBeGreaterThan(partial.classification.redeliveries);
    expect(whole.measuredUnlabelled).toBe(0);
  });
});
