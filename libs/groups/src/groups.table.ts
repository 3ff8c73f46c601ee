import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The all-groups listing is written over GROUP_LISTING_SHARDS partitions (`groups#0` … `groups#3`, by a hash of
 * the id) and read newest first by merging them. Why 4: writes are group creations only (no counter in the
 * listing any more), ≤ 1 WCU each, so even 2,000 creations/s stay at 500 WCU/s per shard; reads touch every shard
 * once per page (0.5 RCU each), so fewer shards cost less per page. The front page's read rate is bounded by the
 * first-page cache (LISTING_CACHE_TTL_MS), not by the shard count: docs/CAPACITY.md has the arithmetic.
 */
export const GROUP_LISTING = 'groups';
export const GROUP_LISTING_SHARDS = 4;
export const GROUPS_BY_LISTING_SHARD_INDEX = 'byListingShard';

/** The listing partition of a group and its position in it (`<timestamp>#<id>`: unique, newest first). */
export function groupListingShard(shard: number): string {
  return `${GROUP_LISTING}#${shard}`;
}

/**
 * The groups table: keyed by id. One sparse index lists all groups newest first over write shards, projecting
 * only the API's fields. Used to create it locally and, in the same shape, by CloudFormation.
 */
/** See TableDefinitionOptions in the images library: the old listing index stays for one deploy. */
export function groupsTableDefinition(tableName: string, { legacyIndexes = false }: { legacyIndexes?: boolean } = {}) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'listingShard', AttributeType: 'S' },
      { AttributeName: 'listingSort', AttributeType: 'S' },
      ...(legacyIndexes
        ? [
            { AttributeName: 'listing', AttributeType: 'S' as const },
            { AttributeName: 'timestamp', AttributeType: 'S' as const },
          ]
        : []),
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: GROUPS_BY_LISTING_SHARD_INDEX,
        KeySchema: [
          { AttributeName: 'listingShard', KeyType: 'HASH' },
          { AttributeName: 'listingSort', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['userId', 'name', 'description', 'timestamp'] },
      },
      ...(legacyIndexes
        ? [
            {
              IndexName: 'byTimestamp',
              KeySchema: [
                { AttributeName: 'listing', KeyType: 'HASH' as const },
                { AttributeName: 'timestamp', KeyType: 'RANGE' as const },
              ],
              Projection: { ProjectionType: 'ALL' as const },
            },
          ]
        : []),
    ],
  } satisfies CreateTableCommandInput;
}
