import type { QueueConsumerSettings } from './pipeline-settings.js';
import type { QueueMessage, SimulatedQueue } from './simulated-queue.js';

/** A message as one invocation holds it: the receipt it was received under. */
export interface ReceivedMessage {
  message: QueueMessage;
  receipt: number;
}

/** A poller and the concurrent batch it feeds: gathering messages, or waiting for its invocation to end. */
export interface PollerSlot {
  readonly id: number;
  batch: ReceivedMessage[];
  busy: boolean;
  windowGeneration: number;
  windowOpen: boolean;
}

/** Lambda's scaling of SQS pollers (docs: "Configuring scaling behavior for SQS event source mappings"). */
export interface PollerScaling {
  /** Batches processed at once when messages first appear: 5. */
  initialConcurrency: number;
  /** Up to 300 more concurrent batches per minute while messages remain. */
  scaleUpPerMinute: number;
  /** Idle pollers given up per second once the queue is empty (not published; slow, so a lull keeps pollers). */
  scaleDownPerSecond: number;
}

export const LAMBDA_SQS_SCALING: PollerScaling = {
  initialConcurrency: 5,
  scaleUpPerMinute: 300,
  scaleDownPerSecond: 1,
};

export interface MappingHost {
  readonly now: number;
  scheduleWindowEnd(time: number, mapping: EventSourceMapping, slot: PollerSlot, generation: number): void;
  scheduleVisibilityExpiry(time: number, mapping: EventSourceMapping, received: ReceivedMessage[]): void;
  /** Hands a full (or windowed) batch to the worker; the host calls `invocationEnded` when it is over. */
  invoke(mapping: EventSourceMapping, slot: PollerSlot): void;
}

/**
 * The event source mapping between a queue and its worker: pollers receive up to BatchSize messages, wait up to
 * MaximumBatchingWindowInSeconds for a fuller batch, invoke the worker and wait for it; their number starts at 5 and
 * grows by 300 a minute while messages wait, up to MaximumConcurrency and what the worker's concurrency allows.
 */
export class EventSourceMapping {
  private readonly slots = new Set<PollerSlot>();
  /** Slots that are not invoking, in the order they asked for messages. */
  private hungry: PollerSlot[] = [];
  private target: number;
  private nextSlotId = 0;
  redeliveries = 0;

  constructor(
    readonly name: string,
    readonly settings: QueueConsumerSettings,
    readonly queue: SimulatedQueue,
    private readonly concurrencyCap: number,
    private readonly scaling: PollerScaling,
    private readonly host: MappingHost,
  ) {
    this.target = Math.min(scaling.initialConcurrency, this.maximum);
    this.reconcile();
  }

  /** The most batches at once: MaximumConcurrency, or less if the worker's concurrency is lower. */
  get maximum(): number {
    return Math.min(this.settings.maximumConcurrency, this.concurrencyCap);
  }

  /** Gives waiting messages to slots that want them; call after anything makes messages visible. */
  serve(): void {
    const { batchSize, maximumBatchingWindowSeconds, visibilityTimeoutSeconds } = this.settings;
    while (this.hungry.length > 0 && this.queue.visibleCount > 0) {
      const slot = this.hungry[0]!;
      const received = this.queue
        .receive(batchSize - slot.batch.length)
        .map((message) => ({ message, receipt: message.receipt }));
      if (received.length === 0) continue; // all were moved to the dead-letter queue
      for (const entry of received) if (entry.message.receiveCount > 1) this.redeliveries += 1;
      slot.batch.push(...received);
      this.host.scheduleVisibilityExpiry(this.host.now + visibilityTimeoutSeconds, this, received);
      if (slot.batch.length >= batchSize || maximumBatchingWindowSeconds === 0) {
        this.dispatch(slot);
      } else if (!slot.windowOpen) {
        slot.windowOpen = true;
        this.host.scheduleWindowEnd(this.host.now + maximumBatchingWindowSeconds, this, slot, slot.windowGeneration);
      }
    }
  }

  windowEnded(slot: PollerSlot, generation: number): void {
    if (slot.windowGeneration !== generation || slot.busy || slot.batch.length === 0) return;
    this.dispatch(slot);
  }

  /** The worker is done with the slot's batch (success, partial failure, error or timeout). */
  invocationEnded(slot: PollerSlot): void {
    slot.busy = false;
    slot.batch = [];
    if (this.slots.size > Math.floor(this.target)) {
      this.slots.delete(slot);
      return;
    }
    this.hungry.push(slot);
    this.serve();
  }

  /** Once a second: scale the pollers as Lambda does. */
  tick(): void {
    if (this.queue.visibleCount > 0) {
      this.target = Math.min(this.maximum, this.target + this.scaling.scaleUpPerMinute / 60);
    } else if (this.hungry.some((slot) => slot.batch.length === 0)) {
      this.target = Math.max(
        Math.min(this.scaling.initialConcurrency, this.maximum),
        this.target - this.scaling.scaleDownPerSecond,
      );
    }
    this.reconcile();
  }

  private dispatch(slot: PollerSlot): void {
    this.hungry.splice(this.hungry.indexOf(slot), 1);
    slot.busy = true;
    slot.windowOpen = false;
    slot.windowGeneration += 1;
    this.host.invoke(this, slot);
  }

  private reconcile(): void {
    const wanted = Math.floor(this.target);
    while (this.slots.size < wanted) {
      const slot: PollerSlot = {
        id: this.nextSlotId++,
        batch: [],
        busy: false,
        windowGeneration: 0,
        windowOpen: false,
      };
      this.slots.add(slot);
      this.hungry.push(slot);
    }
    if (this.slots.size > wanted) {
      const idle = this.hungry.filter((slot) => slot.batch.length === 0).slice(0, this.slots.size - wanted);
      for (const slot of idle) this.slots.delete(slot);
      this.hungry = this.hungry.filter((slot) => this.slots.has(slot));
    }
    this.serve();
  }
}
