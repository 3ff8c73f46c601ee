import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const IMAGES_BY_ID_INDEX = 'byImageId';

/**
 * The images table: partition groupId, sort `timestampId` (`<ISO timestamp>#<imageId>`), so a group's images
 * list newest first and two images created in the same millisecond never collide; an index finds an image by id.
 */
export function imagesTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'groupId', AttributeType: 'S' },
      { AttributeName: 'timestampId', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
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
    ],
  } satisfies CreateTableCommandInput;
}
