import { EventHeap } from './event-heap.js';
import {
  EventSourceMapping,
  LAMBDA_SQS_SCALING,
  type MappingHost,
  type PollerScaling,
  type PollerSlot,
  type ReceivedMessage,
} from './event-source-mapping.js';
import { ConcurrencyLimit, FunctionPool } from './function-pool.js';
import type { FunctionSettings, PipelineSettings } from './pipeline-settings.js';
import { SeededRandom } from './seeded-random.js';
import type { ServiceTimeModel } from './service-times.js';
import { SimulatedQueue, type QueueMessage } from './simulated-queue.js';
import { SimulationMetrics, type SimulationResult } from './simulation-metrics.js';
import { PoissonArrivals, type TrafficPhase } from './traffic.js';

/** What the template cannot say: the account, Lambda's poller scaling, sandbox lifetime, how records run. */
export interface SimulationAssumptions {
  /**
   * The account's concurrency quota, shared by every function without a reservation. AWS's default is 1,000; the
   * target cannot run in it (the API alone needs ≈1,000 at 20,000 reads/s × 50 ms), so a raised quota is assumed.
   */
  accountConcurrency: number;
  /** Unreserved concurrency the other functions hold meanwhile (the API: 20,000 reads/s × 50 ms). */
  otherFunctionsConcurrency: number;
  pollerScaling: PollerScaling;
  idleSandboxLifetimeSeconds: number;
  /** Seconds a worker with nothing left to do still needs to return (response, Lambda's bookkeeping). */
  workerReturnSeconds: number;
  /** After the last upload, simulate at most this long for the queues to drain. */
  drainLimitSeconds: number;
  /** Lambda's retry of an event source mapping's throttled invoke. */
  throttledInvokeRetrySeconds: number;
}

export const DEFAULT_ASSUMPTIONS: SimulationAssumptions = {
  accountConcurrency: 5_000,
  otherFunctionsConcurrency: 1_000,
  pollerScaling: LAMBDA_SQS_SCALING,
  idleSandboxLifetimeSeconds: 600,
  workerReturnSeconds: 0.002,
  drainLimitSeconds: 1_800,
  throttledInvokeRetrySeconds: 1,
};

export interface SimulationInput {
  settings: PipelineSettings;
  serviceTimes: ServiceTimeModel;
  traffic: TrafficPhase[];
  seed: number;
  assumptions?: Partial<SimulationAssumptions>;
}

interface ClassificationMessage extends QueueMessage {
  readonly measured: boolean;
  labelledAt?: number;
}

interface Invocation {
  mapping: EventSourceMapping;
  slot: PollerSlot;
  started: number;
  handlerStarted: number;
  pending: number;
  succeeded: ReceivedMessage[];
  failed: number;
  over: boolean;
}

interface RecordRun {
  invocation: Invocation;
  entry: ReceivedMessage;
  attempt: number;
}

type SimulationEvent =
  | { kind: 'arrival'; measured: boolean }
  | { kind: 'tick' }
  | { kind: 'window-end'; mapping: EventSourceMapping; slot: PollerSlot; generation: number }
  | { kind: 'visibility-expiry'; mapping: EventSourceMapping; received: ReceivedMessage[] }
  | { kind: 'invoke'; mapping: EventSourceMapping; slot: PollerSlot }
  | { kind: 'worker-timeout'; invocation: Invocation }
  | { kind: 'classify'; run: RecordRun }
  | { kind: 'classifier-end'; billedSeconds: number; keepSandbox: boolean }
  | { kind: 'record-done'; run: RecordRun; ok: boolean };

const ms = (value: number) => value / 1000;

/** What the pipeline's functions reserve of the account's concurrency. */
export function reservedConcurrency(settings: PipelineSettings): number {
  return [settings.classification.worker, settings.thumbnails.worker, settings.classifier]
    .map((fn) => fn.reservedConcurrency ?? 0)
    .reduce((total, value) => total + value, 0);
}

/** Lambda refuses reservations that leave fewer than 100 unreserved executions in the account. */
export function accountProblems(settings: PipelineSettings, assumptions: SimulationAssumptions): string[] {
  const reserved = reservedConcurrency(settings);
  const left = assumptions.accountConcurrency - reserved;
  return left >= 100
    ? []
    : [
        `reserved concurrency ${reserved} leaves ${left} unreserved in an account of ${assumptions.accountConcurrency} (Lambda keeps at least 100)`,
      ];
}

/**
 * The seeded discrete-event simulation of the pipeline: Poisson uploads → S3 notification → the classification and
 * thumbnail queues → their event source mappings → the workers; the classification worker calls the classifier for
 * each record of its batch (records in parallel, as Powertools' BatchProcessor runs them), with the worker's retry
 * policy on throttles and timeouts, and reports failed records as batch item failures. Time is in seconds.
 */
export class PipelineSimulation implements MappingHost {
  now = 0;
  private readonly heap = new EventHeap<SimulationEvent>();
  private readonly random: SeededRandom;
  private readonly arrivals: PoissonArrivals;
  private readonly assumptions: SimulationAssumptions;
  readonly classification: EventSourceMapping;
  readonly thumbnails: EventSourceMapping;
  readonly classifierPool: FunctionPool;
  private readonly workerPools = new Map<EventSourceMapping, FunctionPool>();
  private readonly metrics: SimulationMetrics;
  private nextMessageId = 0;
  private trafficOver = false;

  constructor(private readonly input: SimulationInput) {
    const { settings } = input;
    this.assumptions = { ...DEFAULT_ASSUMPTIONS, ...input.assumptions };
    this.random = new SeededRandom(input.seed);
    this.arrivals = new PoissonArrivals(input.traffic, this.random);
    const unreserved = new ConcurrencyLimit(
      Math.max(
        0,
        this.assumptions.accountConcurrency -
          reservedConcurrency(settings) -
          this.assumptions.otherFunctionsConcurrency,
      ),
    );
    const pool = (fn: FunctionSettings) =>
      new FunctionPool(
        fn.logicalId,
        [fn.reservedConcurrency === undefined ? unreserved : new ConcurrencyLimit(fn.reservedConcurrency)],
        {
          idleSandboxLifetimeSeconds: this.assumptions.idleSandboxLifetimeSeconds,
        },
      );
    this.classifierPool = pool(settings.classifier);
    const mapping = (name: string, consumer: PipelineSettings['classification']) => {
      const workerPool = pool(consumer.worker);
      const created = new EventSourceMapping(
        name,
        consumer,
        new SimulatedQueue(consumer.maxReceiveCount),
        workerPool.concurrencyLimit,
        this.assumptions.pollerScaling,
        this,
      );
      this.workerPools.set(created, workerPool);
      return created;
    };
    this.classification = mapping('classification', settings.classification);
    this.thumbnails = mapping('thumbnails', settings.thumbnails);
    this.metrics = new SimulationMetrics(input.traffic);
  }

  workerPool(mapping: EventSourceMapping): FunctionPool {
    return this.workerPools.get(mapping)!;
  }

  run(): SimulationResult {
    this.scheduleNextArrival();
    this.heap.push(0, { kind: 'tick' });
    for (let event = this.heap.pop(); event; event = this.heap.pop()) {
      this.now = event.time;
      if (!this.handle(event.item)) break;
    }
    return this.metrics.result(this);
  }

  scheduleWindowEnd(time: number, mapping: EventSourceMapping, slot: PollerSlot, generation: number): void {
    this.heap.push(time, { kind: 'window-end', mapping, slot, generation });
  }

  scheduleVisibilityExpiry(time: number, mapping: EventSourceMapping, received: ReceivedMessage[]): void {
    this.heap.push(time, { kind: 'visibility-expiry', mapping, received });
  }

  invoke(mapping: EventSourceMapping, slot: PollerSlot): void {
    const workerPool = this.workerPool(mapping);
    const start = workerPool.tryStart(this.now);
    if (!start) {
      this.heap.push(this.now + this.assumptions.throttledInvokeRetrySeconds, { kind: 'invoke', mapping, slot });
      return;
    }
    const handlerStarted =
      this.now + (start.cold ? ms(this.input.serviceTimes.workerColdStart.sample(this.random)) : 0);
    const invocation: Invocation = {
      mapping,
      slot,
      started: this.now,
      handlerStarted,
      pending: slot.batch.length,
      succeeded: [],
      failed: 0,
      over: false,
    };
    // Init has its own limit; the function's timeout runs from the handler's start.
    this.heap.push(handlerStarted + mapping.settings.worker.timeoutSeconds, { kind: 'worker-timeout', invocation });
    for (const entry of slot.batch) this.startRecord({ invocation, entry, attempt: 0 });
  }

  /** @returns false when the simulation is over. */
  private handle(event: SimulationEvent): boolean {
    switch (event.kind) {
      case 'arrival':
        this.arrive(event.measured);
        return true;
      case 'tick':
        return this.tick();
      case 'window-end':
        event.mapping.windowEnded(event.slot, event.generation);
        return true;
      case 'visibility-expiry':
        event.mapping.queue.expireVisibility(event.received);
        event.mapping.serve();
        return true;
      case 'invoke':
        this.invoke(event.mapping, event.slot);
        return true;
      case 'worker-timeout':
        this.timeOut(event.invocation);
        return true;
      case 'classify':
        this.classify(event.run);
        return true;
      case 'classifier-end':
        this.classifierPool.finish(this.now, event.keepSandbox);
        this.metrics.classifierBilledSeconds += event.billedSeconds;
        return true;
      case 'record-done':
        this.recordDone(event.run, event.ok);
        return true;
    }
  }

  private scheduleNextArrival(): void {
    const next = this.arrivals.next(this.now);
    if (next) this.heap.push(next.time, { kind: 'arrival', measured: next.measured });
    else this.trafficOver = true;
  }

  private arrive(measured: boolean): void {
    // The event reaches the queue some time after the upload ended: the latency clock starts at the upload.
    const uploadedAt = this.now - ms(this.input.serviceTimes.s3NotificationToQueue.sample(this.random));
    const id = this.nextMessageId++;
    const message: ClassificationMessage = { id, uploadedAt, receiveCount: 0, receipt: 0, state: 'visible', measured };
    this.metrics.uploaded(measured);
    this.classification.queue.send(message);
    this.thumbnails.queue.send({ id, uploadedAt, receiveCount: 0, receipt: 0, state: 'visible' });
    this.classification.serve();
    this.thumbnails.serve();
    this.scheduleNextArrival();
  }

  private tick(): boolean {
    this.classification.tick();
    this.thumbnails.tick();
    this.metrics.sample(this);
    if (this.trafficOver) {
      const drained = [this.classification, this.thumbnails].every(
        (mapping) => mapping.queue.visibleCount + mapping.queue.inFlight === 0,
      );
      if (drained || this.now >= this.arrivals.endSeconds + this.assumptions.drainLimitSeconds) return false;
    }
    this.heap.push(this.now + 1, { kind: 'tick' });
    return true;
  }

  private startRecord(run: RecordRun): void {
    const { handlerStarted, mapping } = run.invocation;
    const times = this.input.serviceTimes;
    if (mapping === this.thumbnails) {
      this.heap.push(handlerStarted + ms(times.thumbnailRecord.sample(this.random)), {
        kind: 'record-done',
        run,
        ok: true,
      });
      return;
    }
    const message = run.entry.message as ClassificationMessage;
    const lookup = ms(times.dynamoDbCall.sample(this.random));
    if (message.labelledAt !== undefined) {
      // A redelivery of an image already labelled: the worker finds it done and drops the message.
      this.heap.push(handlerStarted + lookup, { kind: 'record-done', run, ok: true });
      return;
    }
    const claim = ms(times.dynamoDbCall.sample(this.random));
    this.heap.push(handlerStarted + lookup + claim, { kind: 'classify', run });
  }

  /** One attempt of ClassifierClient.classify: invoke, or a 429; its retry with full-jitter back-off. */
  private classify(run: RecordRun): void {
    if (run.invocation.over) return;
    run.attempt += 1;
    const times = this.input.serviceTimes;
    const retry = this.input.settings.classifierRetry;
    const started = this.classifierPool.tryStart(this.now);
    let failedAt: number;
    if (!started) {
      failedAt = this.now + ms(times.lambdaThrottleResponse.sample(this.random));
    } else {
      const overhead = ms(times.lambdaInvokeOverhead.sample(this.random));
      const init = started.cold ? ms(times.classifierColdStart.sample(this.random)) : 0;
      const handler = ms(times.classifierWarm.sample(this.random));
      const classifierTimeout = this.input.settings.classifier.timeoutSeconds;
      const timedOut = handler > classifierTimeout;
      const ranFor = init + Math.min(handler, classifierTimeout);
      this.heap.push(this.now + overhead + ranFor, {
        kind: 'classifier-end',
        billedSeconds: ranFor,
        keepSandbox: !timedOut,
      });
      const answeredAt = this.now + overhead + ranFor;
      const givenUpAt = this.now + ms(retry.attemptTimeoutMs);
      if (!timedOut && answeredAt <= givenUpAt) {
        this.heap.push(answeredAt + ms(times.dynamoDbTransaction.sample(this.random)), {
          kind: 'record-done',
          run,
          ok: true,
        });
        return;
      }
      failedAt = Math.min(answeredAt, givenUpAt);
    }
    if (run.attempt < retry.maxAttempts) {
      // libs/classification retry-timing: uniform in [0, min(max, base · 2^(retry−1))).
      const backOff = this.random.next() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (run.attempt - 1));
      this.heap.push(failedAt + ms(backOff), { kind: 'classify', run });
    } else {
      this.metrics.classificationRetriesSpent += 1;
      this.heap.push(failedAt, { kind: 'record-done', run, ok: false });
    }
  }

  private recordDone(run: RecordRun, ok: boolean): void {
    const invocation = run.invocation;
    if (invocation.over) return; // the worker timed out meanwhile: its later results were never written
    if (ok) {
      invocation.succeeded.push(run.entry);
      const message = run.entry.message as ClassificationMessage;
      if (invocation.mapping === this.classification && message.labelledAt === undefined) {
        message.labelledAt = this.now;
        this.metrics.labelled(message.measured, this.now - message.uploadedAt);
      }
    } else {
      invocation.failed += 1;
    }
    invocation.pending -= 1;
    if (invocation.pending === 0) this.endInvocation(invocation, this.now + this.assumptions.workerReturnSeconds, true);
  }

  private timeOut(invocation: Invocation): void {
    if (invocation.over) return;
    this.metrics.workerTimeouts.set(
      invocation.mapping.name,
      (this.metrics.workerTimeouts.get(invocation.mapping.name) ?? 0) + 1,
    );
    this.endInvocation(invocation, this.now, false);
  }

  /** The worker returns: with ReportBatchItemFailures the mapping deletes what succeeded; an error deletes nothing. */
  private endInvocation(invocation: Invocation, at: number, returned: boolean): void {
    invocation.over = true;
    const { mapping, slot } = invocation;
    const keepsBatchItemFailures = mapping.settings.reportBatchItemFailures;
    const deletable = !returned ? [] : keepsBatchItemFailures || invocation.failed === 0 ? invocation.succeeded : [];
    if (deletable.length > 0) mapping.queue.delete(deletable);
    this.workerPool(mapping).finish(at, returned);
    this.metrics.workerBilledSeconds.set(
      mapping.name,
      (this.metrics.workerBilledSeconds.get(mapping.name) ?? 0) + (at - invocation.started),
    );
    mapping.invocationEnded(slot);
  }
}
