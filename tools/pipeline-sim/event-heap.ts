/**
 * The simulation's agenda: a binary min-heap of events by time. Events at the same time come out in the order they
 * were pushed (a sequence number breaks ties), so a run depends on nothing but its seed. Sifting moves a hole rather
 * than swapping: millions of events go through it per simulated hour.
 */
interface Entry<T> {
  time: number;
  sequence: number;
  item: T;
}

export class EventHeap<T> {
  private readonly entries: Entry<T>[] = [];
  private pushed = 0;

  get size(): number {
    return this.entries.length;
  }

  push(time: number, item: T): void {
    if (!Number.isFinite(time)) throw new RangeError(`Event time must be finite, got ${time}`);
    const entry = { time, sequence: this.pushed++, item };
    const entries = this.entries;
    let index = entries.length;
    entries.push(entry);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = entries[parentIndex]!;
      if (!before(entry, parent)) break;
      entries[index] = parent;
      index = parentIndex;
    }
    entries[index] = entry;
  }

  /** Removes and returns the earliest event. */
  pop(): { time: number; item: T } | undefined {
    const entries = this.entries;
    const top = entries[0];
    if (top === undefined) return undefined;
    const last = entries.pop()!;
    const length = entries.length;
    if (length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        const child = right < length && before(entries[right]!, entries[left]!) ? right : left;
        if (!before(entries[child]!, last)) break;
        entries[index] = entries[child]!;
        index = child;
      }
      entries[index] = last;
    }
    return { time: top.time, item: top.item };
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}
