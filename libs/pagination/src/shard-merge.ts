/** One page of one shard, newest first, strictly below `before` when given. */
export interface ShardPage<T> {
  items: T[];
  /** True when the shard may hold more items below the last one returned (DynamoDB gave a LastEvaluatedKey). */
  more: boolean;
}

export interface ShardedListing<T> {
  shards: readonly string[];
  /** The item's position: unique across shards, so "below a position" is exact (no duplicate, no gap). */
  sortKeyOf(item: T): string;
  /** Up to `limit` items of a shard, newest first, whose sort key is below `before` (all when undefined). */
  query(shard: string, limit: number, before: string | undefined): Promise<ShardPage<T>>;
}

interface ShardCursor<T> {
  shard: string;
  buffer: T[];
  before: string | undefined;
  more: boolean;
}

/**
 * Newest-first paging over write shards: a k-way merge of the shards' own newest-first queries. Each shard is
 * first asked for about its share of the page (limit / shards + 1: items spread evenly by a hash need no more),
 * and only a shard whose buffer runs dry while it still has items is asked again. The page ends at the last
 * item returned; the next page starts strictly below its sort key in every shard, so pages neither repeat nor
 * skip an item. `nextBefore` is absent when every shard is exhausted.
 */
export async function newestFirstAcrossShards<T>(
  listing: ShardedListing<T>,
  limit: number,
  before: string | undefined,
): Promise<{ items: T[]; nextBefore: string | undefined }> {
  const share = Math.ceil(limit / listing.shards.length) + 1;
  const cursors: ShardCursor<T>[] = listing.shards.map((shard) => ({ shard, buffer: [], before, more: true }));
  const refill = (cursor: ShardCursor<T>, count: number) =>
    listing.query(cursor.shard, count, cursor.before).then(({ items, more }) => {
      cursor.buffer.push(...items);
      cursor.more = more && items.length > 0;
      if (items.length > 0) cursor.before = listing.sortKeyOf(items[items.length - 1]!);
    });

  await Promise.all(cursors.map((cursor) => refill(cursor, share)));
  const items: T[] = [];
  while (items.length < limit) {
    const dry = cursors.filter((cursor) => cursor.buffer.length === 0 && cursor.more);
    if (dry.length > 0) await Promise.all(dry.map((cursor) => refill(cursor, Math.max(share, limit - items.length))));
    let newest: ShardCursor<T> | undefined;
    for (const cursor of cursors) {
      if (cursor.buffer.length === 0) continue;
      if (newest === undefined || listing.sortKeyOf(cursor.buffer[0]!) > listing.sortKeyOf(newest.buffer[0]!))
        newest = cursor;
    }
    if (newest === undefined) break;
    items.push(newest.buffer.shift()!);
  }
  const remaining = cursors.some((cursor) => cursor.buffer.length > 0 || cursor.more);
  return { items, nextBefore: remaining && items.length > 0 ? listing.sortKeyOf(items[items.length - 1]!) : undefined };
}

/** Which of `count` write shards an id goes to: a stable hash (FNV-1a), so the same id always lands in the same shard. */
export function shardOf(id: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
