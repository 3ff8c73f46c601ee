import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const IMAGES_BY_ID_INDEX = 'byImageIdKey';
export const IMAGES_BY_UNFINISHED_STATUS_INDEX = 'byUnfinishedStatus';
export const LABELS_BY_GROUP_WORD_INDEX = 'byGroupWordKey';

/**
 * The key layout's one-release transition (docs/CAPACITY.md, "Migration"): CloudFormation creates or deletes one
 * index per table per update, and a projection cannot change in place, so the first deploy keeps each replaced
 * index (`legacyIndexes`) beside its successor, and the next deploy drops it.
 */
export interface TableDefinitionOptions {
  legacyIndexes?: boolean;
}

/**
 * A word's label entries are spread over this many partitions (`dog#0` … `dog#3`). Why 4: a word on every upload
 * at 1,000 uploads/s writes 2 WCU per entry (transactional) = 2,000 WCU/s, 500 per shard; a search reads each
 * shard once per page (0.5 RCU each). docs/CAPACITY.md has the ledger's figures.
 */
export const LABEL_WORD_SHARDS = 4;

/**
 * The images table: partition `groupShard` (`<groupId>#<n>`, GROUP_IMAGE_SHARDS write shards of a group, built by
 * imageItemKey), sort `timestampId` (`<ISO timestamp>#<imageId>`), so a group's images list newest first by merging
 * its shards and two images created in the same millisecond never collide. The item keeps `groupId` (and every
 * other attribute) as before. One index finds an image by id; a sparse one lists the images with work left,
 * sharded (only they carry `unfinishedStatus`, e.g. `PENDING#7`: see UNFINISHED_SHARDS for the arithmetic).
 * The key schema differs from the earlier `groupId`-keyed table, so it is a new table (a new name: CloudFormation
 * replaces a table whose key changes, and keeps the old one by UpdateReplacePolicy Retain for the migration).
 * The renamed indexes of the other tables keep their old ones for one deploy (`legacyIndexes`); this table is new,
 * so it has none.
 */
export function imagesTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'groupShard', AttributeType: 'S' },
      { AttributeName: 'timestampId', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
      { AttributeName: 'unfinishedStatus', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'groupShard', KeyType: 'HASH' },
      { AttributeName: 'timestampId', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: IMAGES_BY_ID_INDEX,
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
        // Only the key: findById reads the item itself from the table (one GetItem), so updates of an image's
        // classification and thumbnail never rewrite this index (an ALL projection rewrote ~1.5 KB each time).
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: IMAGES_BY_UNFINISHED_STATUS_INDEX,
        KeySchema: [
          { AttributeName: 'unfinishedStatus', KeyType: 'HASH' },
          { AttributeName: 'timestampId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    // Every change, old and new item, for the notifier: it announces status changes whoever wrote them.
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  } satisfies CreateTableCommandInput;
}

/**
 * The label index: one item per (label word, image), written in the same transaction as the classification.
 * Partition `word` (`<word>#<shard>`, LABEL_WORD_SHARDS of them, merged on read) answers `GET /images?label=`,
 * the index on `groupWord` (`<groupId>#<word>`) answers `GET /groups/:groupId/images?label=`; both sort by the
 * image's `timestampId`, newest first, with no scan. The index projects only the image's groupId (with the keys,
 * that is the image's key), which is all a search reads.
 */
export function imageLabelsTableDefinition(tableName: string, { legacyIndexes = false }: TableDefinitionOptions = {}) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'word', AttributeType: 'S' },
      { AttributeName: 'timestampId', AttributeType: 'S' },
      { AttributeName: 'groupWord', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'word', KeyType: 'HASH' },
      { AttributeName: 'timestampId', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: LABELS_BY_GROUP_WORD_INDEX,
        KeySchema: [
          { AttributeName: 'groupWord', KeyType: 'HASH' },
          { AttributeName: 'timestampId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['groupId'] },
      },
      ...(legacyIndexes
        ? [
            {
              IndexName: 'byGroupWord',
              KeySchema: [
                { AttributeName: 'groupWord', KeyType: 'HASH' as const },
                { AttributeName: 'timestampId', KeyType: 'RANGE' as const },
              ],
              Projection: { ProjectionType: 'ALL' as const },
            },
          ]
        : []),
    ],
  } satisfies CreateTableCommandInput;
}
