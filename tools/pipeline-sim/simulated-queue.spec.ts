import { describe, expect, it } from 'vitest';
import { SimulatedQueue, type QueueMessage } from './simulated-queue.js';

const message = (id: number): QueueMessage => ({ id, uploadedAt: 0, receiveCount: 0, receipt: 0, state: 'visible' });
const held = (messages: QueueMessage[]) => messages.map((m) => ({ message: m, receipt: m.receipt }));

describe('SimulatedQueue (SQS standard queue semantics the pipeline relies on)', () => {
  it('hides a received message until its visibility timeout ends, then delivers it again with a higher receive count', () => {
    const queue = new SimulatedQueue(5);
    queue.send(message(1));

    const first = queue.receive(10);
    const whileHidden = queue.receive(10);
    queue.expireVisibility(held(first));
    const second = queue.receive(10);

    expect(first.map((m) => m.id)).toEqual([1]);
    expect(whileHidden).toEqual([]);
    expect(second.map((m) => [m.id, m.receiveCount])).toEqual([[1, 2]]);
    expect(queue.inFlight).toBe(1);
  });

  it('never delivers a deleted message again', () => {
    const queue = new SimulatedQueue(5);
    queue.send(message(1));
    const received = held(queue.receive(10));

    queue.delete(received);
    queue.expireVisibility(received);

    expect(queue.receive(10)).toEqual([]);
    expect(queue.inFlight).toBe(0);
  });

  it('ignores the expiry of an older receive once the message was received again', () => {
    const queue = new SimulatedQueue(5);
    queue.send(message(1));
    const firstReceipt = held(queue.receive(1));
    queue.expireVisibility(firstReceipt);
    const secondReceipt = held(queue.receive(1));

    queue.expireVisibility(firstReceipt);

    expect(queue.visibleCount).toBe(0);
    expect(secondReceipt[0]!.message.state).toBe('in-flight');
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue instead of delivering it again', () => {
    const queue = new SimulatedQueue(3);
    queue.send(message(1));
    const counts: number[] = [];
    for (let delivery = 0; delivery < 3; delivery++) {
      const [first] = queue.receive(1);
      counts.push(first!.receiveCount);
      queue.expireVisibility(held([first!]));
    }
    queue.send(message(2));

    const next = queue.receive(10);

    expect(counts).toEqual([1, 2, 3]);
    expect(queue.deadLetters.map((m) => m.id)).toEqual([1]);
    expect(next.map((m) => m.id)).toEqual([2]);
  });

  it('receives at most the batch size, oldest first, and counts one request per send, receive and batch of 10 deletes', () => {
    const queue = new SimulatedQueue(5);
    for (let id = 0; id < 25; id++) queue.send(message(id));

    const batch = queue.receive(10);
    queue.delete(held(batch));

    expect(batch.map((m) => m.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(queue.visibleCount).toBe(15);
    expect(queue.requests).toBe(25 + 1 + 1);
  });
});
