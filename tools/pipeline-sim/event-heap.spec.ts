import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap.js';
import { SeededRandom } from './seeded-random.js';

describe('EventHeap', () => {
  it('pops events in time order', () => {
    const random = new SeededRandom(1);
    const heap = new EventHeap<number>();
    const times = Array.from({ length: 5_000 }, () => Math.floor(random.next() * 1_000));
    times.forEach((time, index) => heap.push(time, index));

    const popped: number[] = [];
    for (let event = heap.pop(); event; event = heap.pop()) popped.push(event.time);

    expect(popped).toEqual([...times].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('pops events of the same time in the order they were pushed, also when interleaved with pops', () => {
    const heap = new EventHeap<string>();
    heap.push(2, 'c');
    heap.push(1, 'a');
    heap.push(2, 'd');
    heap.push(1, 'b');
    const first = heap.pop();
    heap.push(2, 'e');

    const rest = [heap.pop(), heap.pop(), heap.pop(), heap.pop()].map((event) => event?.item);

    expect(first).toEqual({ time: 1, item: 'a' });
    expect(rest).toEqual(['b', 'c', 'd', 'e']);
    expect(heap.pop()).toBeUndefined();
  });

  it('refuses a time that is not finite', () => {
    expect(() => new EventHeap<string>().push(Number.NaN, 'x')).toThrow(RangeError);
  });
});
