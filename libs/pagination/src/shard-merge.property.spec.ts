import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newestFirstAcrossShards, shardOf, type ShardedListing } from './shard-merge.js';

const RUNS = 300;

interface Stored {
  sortKey: string;
  shard: number;
}

/**
 * A fake of DynamoDB's Query on each shard: newest first below `before`, at most `limit` items, and — like
 * DynamoDB at its 1 MB cap — sometimes fewer than asked with `more` set, or `more` set when nothing is left.
 */
function fakeListing(
  stored: Stored[],
  shardCount: number,
  quirks: fc.RandomGenerator | (() => boolean),
): ShardedListing<Stored> & { queries: number } {
  const quirk = quirks as () => boolean;
  const listing = {
    queries: 0,
    shards: Array.from({ length: shardCount }, (_, shard) => String(shard)),
    sortKeyOf: (item: Stored) => item.sortKey,
    async query(shard: string, limit: number, before: string | undefined) {
      listing.queries += 1;
      const below = stored
        .filter((item) => String(item.shard) === shard && (before === undefined || item.sortKey < before))
        .sort((a, b) => (a.sortKey < b.sortKey ? 1 : -1));
      const cut = quirk() ? Math.max(1, Math.floor(limit / 2)) : limit;
      const items = below.slice(0, cut);
      return { items, more: below.length > items.length || (items.length === cut && quirk()) };
    },
  };
  return listing;
}

const listingArbitrary = fc.record({
  sortKeys: fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 6 }), {
    maxLength: 60,
  }),
  shardCount: fc.integer({ min: 1, max: 8 }),
  pageSizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
  quirkSeed: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  byHash: fc.boolean(),
  skew: fc.nat(),
});

describe('newest-first paging merged across write shards (property-based)', () => {
  it(`walks every item exactly once, newest first, across shard counts and page sizes (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(listingArbitrary, async ({ sortKeys, shardCount, pageSizes, quirkSeed, byHash, skew }) => {
        // Items spread by hash, or piled into one shard (a skewed spread must page just as well).
        const stored = sortKeys.map((sortKey, index) => ({
          sortKey,
          shard: byHash ? shardOf(sortKey, shardCount) : (index + skew) % 2 === 0 ? 0 : skew % shardCount,
        }));
        let call = 0;
        const listing = fakeListing(stored, shardCount, () => quirkSeed[call++ % quirkSeed.length]!);
        const walked: string[] = [];
        let before: string | undefined;
        for (let page = 0; page < 200; page += 1) {
          const limit = pageSizes[page % pageSizes.length]!;
          const { items, nextBefore } = await newestFirstAcrossShards(listing, limit, before);
          expect(items.length).toBeLessThanOrEqual(limit);
          // A page short of its limit is the last one.
          if (items.length < limit) expect(nextBefore).toBeUndefined();
          walked.push(...items.map((item) => item.sortKey));
          if (nextBefore === undefined) break;
          before = nextBefore;
        }
        const newestFirst = [...sortKeys].sort().reverse();
        expect(walked).toEqual(newestFirst);
      }),
      { numRuns: RUNS },
    );
  });

  it('asks each shard for about its share of the page when items are spread by hash', async () => {
    const stored = Array.from({ length: 400 }, (_, index) => {
      const sortKey = `2026-12-04T00:00:${String(index).padStart(4, '0')}`;
      return { sortKey, shard: shardOf(sortKey, 4) };
    });
    const listing = fakeListing(stored, 4, () => false);

    const { items } = await newestFirstAcrossShards(listing, 20, undefined);

    expect(items.map((item) => item.sortKey)).toEqual(
      stored
        .map((item) => item.sortKey)
        .sort()
        .reverse()
        .slice(0, 20),
    );
    // One query per shard, and a few refills at most where the hash spread is uneven.
    expect(listing.queries).toBeLessThanOrEqual(8);
  });

  it('spreads ids evenly over the shards', () => {
    const counts = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let index = 0; index < 8000; index += 1)
      counts[shardOf(`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, 8)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
