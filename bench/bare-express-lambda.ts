/**
 * The cold-start bench's baseline: `GET /groups` as a hand-written Express handler would serve it (the same
 * DynamoDB queries as the API: newest first over the listing index's shards), wrapped by the same serverless-express and
 * bundled the same way as the API. No Nest, no validation, no auth: what is left is the floor.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import express from 'express';

const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
);

// The listing's write shards (GROUP_LISTING_SHARDS in libs/groups, written here so the baseline loads no Nest; the
// bench checks that every seeded group comes back, so a mismatch fails it).
const LISTING_SHARDS = ['groups#0', 'groups#1', 'groups#2', 'groups#3'];

const app = express();
app.get('/groups', async (request, response) => {
  const limit = Math.min(Number(request.query.limit ?? 20), 100);
  // Newest first across the shards: each shard's newest `limit`, merged on the sort key.
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
  const items = newest.map(({ id, userId, name, description, timestamp }) => ({
    id,
    userId,
    name,
    description,
    timestamp,
  }));
  response.json({ items });
});

export const handler = serverlessExpress({ app });
