import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Every group carries this constant so one index can list all groups newest first without a scan. */
export const GROUP_LISTING = 'groups';
export const GROUPS_BY_TIMESTAMP_INDEX = 'byTimestamp';

/** The groups table: keyed by id. Used to create it locally and, in the same shape, by CloudFormation. */
export function groupsTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'listing', AttributeType: 'S' },
      { AttributeName: 'timestamp', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: GROUPS_BY_TIMESTAMP_INDEX,
        KeySchema: [
          { AttributeName: 'listing', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  } satisfies CreateTableCommandInput;
}
