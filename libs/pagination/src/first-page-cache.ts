/**
 * Keeps a public listing's first page in this process's memory for `ttlMs`, with one load in flight per key. The
 * first page of the front page, of a busy group and of a popular word is what thousands of readers ask for each
 * second; each warm Lambda then reads it from DynamoDB at most once per TTL, so the rate reaching a partition is
 * bounded by (warm instances) / TTL instead of by the audience (docs/CAPACITY.md). Later pages (with a token) and
 * a TTL of 0 always read through. Entries are few (one per route, group and word asked for) and expire; the map
 * is capped so a crawler walking every group cannot grow it without bound.
 */
export class FirstPageCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.value;
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    const value = load();
    this.entries.set(key, { expiresAt: now + this.ttlMs, value });
    // A failed load is not kept: the next reader tries again.
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    return value;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
