/**
 * The simulation's agenda: a binary min-heap of events by time. Events at the same time come out in the order they
 * were pushed (a sequence number breaks ties), so a run depends on nothing but its seed.
 */
export class EventHeap<T> {
  private readonly times: number[] = [];
  private readonly sequences: number[] = [];
  private readonly items: T[] = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T): void {
    if (!Number.isFinite(time)) throw new RangeError(`Event time must be finite, got ${time}`);
    this.times.push(time);
    this.sequences.push(this.pushed++);
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  /** The earliest event's time, or undefined when empty. */
  peekTime(): number | undefined {
    return this.times[0];
  }

  /** Removes and returns the earliest event. */
  pop(): { time: number; item: T } | undefined {
    if (this.items.length === 0) return undefined;
    const top = { time: this.times[0]!, item: this.items[0]! };
    const lastTime = this.times.pop()!;
    const lastSequence = this.sequences.pop()!;
    const lastItem = this.items.pop()!;
    if (this.items.length > 0) {
      this.times[0] = lastTime;
      this.sequences[0] = lastSequence;
      this.items[0] = lastItem;
      this.siftDown(0);
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    return this.times[i]! < this.times[j]! || (this.times[i] === this.times[j] && this.sequences[i]! < this.sequences[j]!);
  }

  private swap(i: number, j: number): void {
    [this.times[i], this.times[j]] = [this.times[j]!, this.times[i]!];
    [this.sequences[i], this.sequences[j]] = [this.sequences[j]!, this.sequences[i]!];
    [this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
  }

  private siftUp(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const length = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < length && this.before(left, smallest)) smallest = left;
      if (right < length && this.before(right, smallest)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }
}
