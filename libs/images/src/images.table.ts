import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const IMAGES_BY_ID_INDEX = 'byImageId';
export const IMAGES_BY_UNFINISHED_STATUS_INDEX = 'byUnfinishedStatus';
export const LABELS_BY_GROUP_WORD_INDEX = 'byGroupWord';

/**
 * The images table: partition groupId, sort `timestampId` (`<ISO timestamp>#<imageId>`), so a group's images
 * list newest first and two images created in the same millisecond never collide. One index finds an image by
 * id; a sparse one lists the images with work left, sharded (only they carry `unfinishedStatus`, e.g. `PENDING#7`:
 * see UNFINISHED_SHARDS for the arithmetic).
 */
export function imagesTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'groupId', AttributeType: 'S' },
      { AttributeName: 'timestampId', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
      { AttributeName: 'unfinishedStatus', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'groupId', KeyType: 'HASH' },
      { AttributeName: 'timestampId', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: IMAGES_BY_ID_INDEX,
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
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
 * Partition `word` answers `GET /images?label=`, the index on `groupWord` (`<groupId>#<word>`) answers
 * `GET /groups/:groupId/images?label=`; both sort by the image's `timestampId`, newest first, with no scan.
 */
export function imageLabelsTableDefinition(tableName: string) {
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
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  } satisfies CreateTableCommandInput;
}
