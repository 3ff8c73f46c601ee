import { groupListingShard, GROUP_LISTING_SHARDS } from '@app/groups';
import {
  imageItem,
  imageItemKey,
  indexedLabels,
  labelWords,
  labelWordShard,
  unfinishedMarker,
  type ImageRecord,
  type UnfinishedWork,
} from '@app/images';
import { shardOf } from '@app/pagination';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

export interface MigrationTables {
  groups: string;
  /** The images table keyed by group shard (`<groupId>#<n>`). */
  images: string;
  /** The earlier images table keyed by `groupId`, whose items are copied to `images` (absent: nothing to copy). */
  legacyImages?: string;
  labels: string;
}

/** Where a run stopped: per phase, the scan's next start key, or `done`. Saved after every page. */
export type MigrationCheckpoint = Partial<Record<MigrationPhase, Record<string, unknown> | 'done'>>;
export type MigrationPhase = 'groups' | 'copyImages' | 'images' | 'labels';

export interface MigrationCounts {
  groupsMoved: number;
  imagesCopied: number;
  imagesReindexed: number;
  labelEntriesRemoved: number;
  skipped: number;
}

export interface MigrationOptions {
  tables: MigrationTables;
  labelIndexMinConfidence: number;
  checkpoint: MigrationCheckpoint;
  /** Called after every page with the updated checkpoint (e.g. to write it to a file). */
  saveCheckpoint: (checkpoint: MigrationCheckpoint) => Promise<void> | void;
  pageSize?: number;
  /** Stop after this many pages (for tests of resumption); the checkpoint says where. */
  maxPages?: number;
  log?: (line: string) => void;
}

/** An old-layout label entry: its `word` has no shard suffix (words are letters and digits only). */
const isUnsharded = (word: string) => !word.includes('#');

/**
 * The one-off move of items written before the sharded key layout:
 *  1. images of the earlier table keyed by `groupId` (`legacyImages`): copied to the table keyed by group shard, at
 *     the key imageItemKey builds, only where the new table has no item yet (a live write there is newer and wins);
 *     an unsharded `unfinishedStatus` (`PENDING`) gets its shard so the backfill finds it. First, because until an
 *     image is copied the API does not see it;
 *  2. groups: into a listing shard at their position (`listingShard`, `listingSort`), without the old
 *     `listing` key and `imageCount` counter;
 *  3. images: their label entries to the sharded layout (`<word>#<shard>`) and to the confidence threshold (the
 *     top label always, others ≥ LABEL_INDEX_MIN_CONFIDENCE), `labelWords` to match — one transaction per image,
 *     conditional on the image being as read, so a live re-classification is never overwritten (it is skipped
 *     and already writes the new layout);
 *  4. labels: any old-layout entry still left (of an image deleted meanwhile) is removed.
 * Idempotent (an item already in the new layout is left alone) and resumable (the checkpoint holds each scan's
 * position). Reads with Scan: run it once, off-peak, not on a request path.
 */
export async function migrateKeyLayout(
  dynamoDb: DynamoDBDocumentClient,
  options: MigrationOptions,
): Promise<MigrationCounts & { finished: boolean }> {
  const counts: MigrationCounts = {
    groupsMoved: 0,
    imagesCopied: 0,
    imagesReindexed: 0,
    labelEntriesRemoved: 0,
    skipped: 0,
  };
  const checkpoint = { ...options.checkpoint };
  const log = options.log ?? (() => undefined);
  let pagesLeft = options.maxPages ?? Number.POSITIVE_INFINITY;

  const phases: [MigrationPhase, string, (item: Record<string, any>) => Promise<void>][] = [
    ...(options.tables.legacyImages === undefined
      ? []
      : [
          [
            'copyImages',
            options.tables.legacyImages,
            (item: Record<string, any>) => copyImage(item as ImageRecord),
          ] as [MigrationPhase, string, (item: Record<string, any>) => Promise<void>],
        ]),
    ['groups', options.tables.groups, (item) => migrateGroup(item)],
    ['images', options.tables.images, (item) => migrateImage(item as ImageRecord)],
    ['labels', options.tables.labels, (item) => removeOldLabelEntry(item)],
  ];

  async function migrateGroup(group: Record<string, any>): Promise<void> {
    if (group.listingShard !== undefined && group.listing === undefined && group.imageCount === undefined) return;
    await conditional(
      new UpdateCommand({
        TableName: options.tables.groups,
        Key: { id: group.id },
        UpdateExpression: 'SET listingShard = :shard, listingSort = :sort REMOVE listing, imageCount',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: {
          ':shard': groupListingShard(shardOf(group.id, GROUP_LISTING_SHARDS)),
          ':sort': `${group.timestamp}#${group.id}`,
        },
      }),
    );
    counts.groupsMoved += 1;
  }

  async function copyImage(image: ImageRecord): Promise<void> {
    const { unfinishedStatus } = image;
    const item = imageItem({
      ...image,
      ...(unfinishedStatus !== undefined && !unfinishedStatus.includes('#')
        ? { unfinishedStatus: unfinishedMarker(unfinishedStatus as UnfinishedWork, image.imageId) }
        : {}),
    });
    const copied = await conditional(
      new PutCommand({
        TableName: options.tables.images,
        Item: item,
        ConditionExpression: 'attribute_not_exists(groupShard)',
      }),
    );
    if (copied) counts.imagesCopied += 1;
  }

  async function migrateImage(image: ImageRecord): Promise<void> {
    const stored = image.labelWords ?? [];
    const wanted =
      image.status === 'CLASSIFIED' && image.labels !== undefined
        ? labelWords(indexedLabels(image.labels, options.labelIndexMinConfidence))
        : [];
    const sameWords = stored.length === wanted.length && stored.every((word, index) => word === wanted[index]);
    // Old-layout entries exist only for images classified before the move; a re-run finds none.
    const oldEntries = await existingOldEntries(image, stored);
    if (sameWords && oldEntries.length === 0) return;
    const shardedKey = (word: string) => ({
      word: labelWordShard(word, image.timestampId),
      timestampId: image.timestampId,
    });
    const items = [
      {
        Update: {
          TableName: options.tables.images,
          Key: imageItemKey(image),
          UpdateExpression: wanted.length > 0 ? 'SET labelWords = :wanted' : 'REMOVE labelWords',
          // Unchanged since it was read: a concurrent classification wins, and this image is skipped.
          ConditionExpression:
            stored.length > 0
              ? 'labelWords = :stored AND #status = :status'
              : 'attribute_not_exists(labelWords) AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': image.status,
            ...(wanted.length > 0 ? { ':wanted': wanted } : {}),
            ...(stored.length > 0 ? { ':stored': stored } : {}),
          },
        },
      },
      ...oldEntries.map((word) => ({
        Delete: { TableName: options.tables.labels, Key: { word, timestampId: image.timestampId } },
      })),
      ...stored
        .filter((word) => !wanted.includes(word))
        .map((word) => ({ Delete: { TableName: options.tables.labels, Key: shardedKey(word) } })),
      ...wanted.map((word) => ({
        Put: {
          TableName: options.tables.labels,
          Item: {
            ...shardedKey(word),
            groupWord: `${image.groupId}#${word}`,
            groupId: image.groupId,
            imageId: image.imageId,
          },
        },
      })),
    ];
    for (let start = 0; start < items.length; start += 100) {
      // ≤ 1 + 3 × 10 words: one transaction in practice; split only as a guard against DynamoDB's 100-item limit.
      if (!(await conditional(new TransactWriteCommand({ TransactItems: items.slice(start, start + 100) })))) {
        counts.skipped += 1;
        return;
      }
    }
    counts.imagesReindexed += 1;
  }

  /** The image's words that still have an entry in the old layout (partition = the bare word). */
  async function existingOldEntries(image: ImageRecord, words: readonly string[]): Promise<string[]> {
    const found = await Promise.all(
      words.map(async (word) => {
        const { Item } = await dynamoDb.send(
          new GetCommand({
            TableName: options.tables.labels,
            Key: { word, timestampId: image.timestampId },
            ConsistentRead: true,
          }),
        );
        return Item === undefined ? [] : [word];
      }),
    );
    return found.flat();
  }

  async function removeOldLabelEntry(entry: Record<string, any>): Promise<void> {
    if (!isUnsharded(entry.word)) return;
    await conditional(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: options.tables.labels, Key: { word: entry.word, timestampId: entry.timestampId } } },
        ],
      }),
    );
    counts.labelEntriesRemoved += 1;
  }

  /** Sends a conditional write; false when its condition failed (the item changed: leave it). */
  async function conditional(command: UpdateCommand | PutCommand | TransactWriteCommand): Promise<boolean> {
    try {
      await dynamoDb.send(command as never);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')
      )
        return false;
      throw error;
    }
  }

  for (const [phase, tableName, migrate] of phases) {
    while (checkpoint[phase] !== 'done') {
      if (pagesLeft <= 0) return { ...counts, finished: false };
      pagesLeft -= 1;
      const startKey = checkpoint[phase] as Record<string, unknown> | undefined;
      const { Items = [], LastEvaluatedKey } = await dynamoDb.send(
        new ScanCommand({
          TableName: tableName,
          ExclusiveStartKey: startKey,
          Limit: options.pageSize ?? 100,
          ConsistentRead: true,
        }),
      );
      for (const item of Items) await migrate(item);
      checkpoint[phase] = LastEvaluatedKey ?? 'done';
      await options.saveCheckpoint({ ...checkpoint });
      log(`${phase}: ${Items.length} item(s) read${LastEvaluatedKey === undefined ? ', done' : ''}`);
    }
  }
  return { ...counts, finished: true };
}
