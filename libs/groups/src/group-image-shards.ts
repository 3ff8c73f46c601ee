import { shardOf } from '@app/pagination';

/**
 * A group's images are written over GROUP_IMAGE_SHARDS partitions of the images table (`<groupId>#0` … `#7`, by a
 * hash of the image's position `timestampId`) and read newest first by merging them. Why 8: an upload writes its
 * image item ≈6.2 WCU over its life (create, claim, result, thumbnail), so one partition holds ≈160 uploads/s; the
 * Zipf head takes ≈26% of 1,000 uploads/s (≈1,600 WCU/s), and a group taking every upload of the design target
 * (6,200 WCU/s) still stays at ≈775 WCU/s per shard. A page reads every shard once (8 × 0.5 RCU), and the first
 * page is cached (LISTING_CACHE_TTL_MS): ≈500 pages/s × 0.5 = 250 RCU/s per shard. Changing the count moves every
 * image (its key changes): it is part of the table's layout, not a setting. docs/CAPACITY.md has the ledger's figures.
 */
export const GROUP_IMAGE_SHARDS = 8;

/** The images-table partition of one image of a group: `<groupId>#<shard>`. */
export function groupImageShard(groupId: string, timestampId: string): string {
  return `${groupId}#${shardOf(timestampId, GROUP_IMAGE_SHARDS)}`;
}

/** Every images-table partition of a group, for merged reads. */
export function groupImageShards(groupId: string): string[] {
  return Array.from({ length: GROUP_IMAGE_SHARDS }, (_, shard) => `${groupId}#${shard}`);
}

/** The group of an images-table partition (group ids hold no `#`). */
export function groupOfImageShard(groupShard: string): string {
  return groupShard.slice(0, groupShard.lastIndexOf('#'));
}
