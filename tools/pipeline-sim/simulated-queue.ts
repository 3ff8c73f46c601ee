/**
 * An SQS standard queue as the pipeline relies on it: a received message is invisible for the visibility timeout
 * and comes back unless deleted; each receive adds one to its ApproximateReceiveCount; a message received
 * maxReceiveCount times and still not deleted goes to the dead-letter queue instead of an (maxReceiveCount+1)th
 * delivery. Visibility is not timed here: the owner of the clock calls `expireVisibility` for a receipt at
 * receivedAt + visibilityTimeout (one event per received batch).
 */
export interface QueueMessage {
  readonly id: number;
  /** When the upload finished (the latency clock starts here). */
  readonly uploadedAt: number;
  receiveCount: number;
  /** Bumped at every receive: a visibility expiry for an older receipt no longer applies. */
  receipt: number;
  state: 'visible' | 'in-flight' | 'deleted' | 'dead-lettered';
}

export class SimulatedQueue {
  private visible: QueueMessage[] = [];
  private head = 0;
  private inFlightCount = 0;
  readonly deadLetters: QueueMessage[] = [];
  /** API requests the queue was sent: SendMessage, ReceiveMessage, DeleteMessageBatch. */
  requests = 0;

  constructor(readonly maxReceiveCount: number) {
    if (!(maxReceiveCount >= 1)) throw new RangeError(`maxReceiveCount must be ≥ 1, got ${maxReceiveCount}`);
  }

  /** ApproximateNumberOfMessagesVisible. */
  get visibleCount(): number {
    return this.visible.length - this.head;
  }

  /** ApproximateNumberOfMessagesNotVisible. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  send(message: QueueMessage): void {
    this.requests += 1;
    message.state = 'visible';
    this.visible.push(message);
  }

  /**
   * Up to `max` visible messages, oldest first. Messages already received maxReceiveCount times are moved to the
   * dead-letter queue on the way, as SQS does, and are not returned. Counts as one ReceiveMessage request.
   */
  receive(max: number): QueueMessage[] {
    this.requests += 1;
    const received: QueueMessage[] = [];
    while (received.length < max && this.head < this.visible.length) {
      const message = this.visible[this.head++]!;
      if (message.receiveCount >= this.maxReceiveCount) {
        message.state = 'dead-lettered';
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.receipt += 1;
      message.state = 'in-flight';
      this.inFlightCount += 1;
      received.push(message);
    }
    this.compact();
    return received;
  }

  /** DeleteMessageBatch (up to 10 a request) of the messages still held under the receipt they were received with. */
  delete(messages: { message: QueueMessage; receipt: number }[]): void {
    this.requests += Math.ceil(messages.length / 10);
    for (const { message, receipt } of messages) {
      if (message.state === 'in-flight' && message.receipt === receipt) {
        message.state = 'deleted';
        this.inFlightCount -= 1;
      }
    }
  }

  /** The visibility timeout of one receive has passed: what is still in flight under it is visible again. */
  expireVisibility(messages: { message: QueueMessage; receipt: number }[]): void {
    for (const { message, receipt } of messages) {
      if (message.state === 'in-flight' && message.receipt === receipt) {
        message.state = 'visible';
        this.inFlightCount -= 1;
        this.visible.push(message);
      }
    }
  }

  private compact(): void {
    if (this.head > 65_536 && this.head * 2 > this.visible.length) {
      this.visible = this.visible.slice(this.head);
      this.head = 0;
    }
  }
}
