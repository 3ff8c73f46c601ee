import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// The listing's write shards (GROUP_LISTING_SHARDS in libs/groups, written here so the baselines load no Nest; the
// bench checks that every seeded group comes back, so a mismatch fails it).
const LISTING_SHARDS = ['groups#0', 'groups#1', 'groups#2', 'groups#3'];

/**
 * `GET /groups` as the cold-start bench's reference handlers serve it, with the same DynamoDB queries as the API:
 * each listing shard's newest `limit`, merged newest first on the sort key.
 */
export async function newestGroups(dynamoDb: DynamoDBDocumentClient, limit: number) {
  const pages = await Promise.all(
    LISTING_SHARDS.map((shard) =>
      dynamoDb.send(
        new QueryCommand({
          TableName: process.env.GROUPS_TABLE,
          IndexName: 'byListingShard',
          KeyConditionExpression: 'listingShard = :shard',
          ExpressionAttributeValues: { ':shard': shard },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    ),
  );
  const newest = pages
    .flatMap(({ Items = [] }) => Items)
    .sort((a, b) => String(b.listingSort).localeCompare(String(a.listingSort)))
    .slice(0, limit);
  return {
    items: newest.map(({ id, userId, name, description, timestamp }) => ({ id, userId, name, description, timestamp })),
  };
}
