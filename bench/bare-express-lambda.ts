/**
 * The cold-start bench's baseline: `GET /groups` as a hand-written Express handler would serve it (the same
 * DynamoDB query as the API: newest first on the listing index), wrapped by the same serverless-express and
 * bundled the same way as the API. No Nest, no validation, no auth: what is left is the floor.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import express from 'express';

const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
);

const app = express();
app.get('/groups', async (request, response) => {
  const limit = Math.min(Number(request.query.limit ?? 20), 100);
  const { Items = [], LastEvaluatedKey } = await dynamoDb.send(
    new QueryCommand({
      TableName: process.env.GROUPS_TABLE,
      IndexName: 'byListingShard',
      KeyConditionExpression: 'listingShard = :shard',
      ExpressionAttributeValues: { ':shard': 'groups#0' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const items = Items.map(({ id, userId, name, description, timestamp }) => ({ id, userId, name, description, timestamp }));
  const nextKey = LastEvaluatedKey && Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url');
  response.json({ items, nextKey });
});

export const handler = serverlessExpress({ app });
