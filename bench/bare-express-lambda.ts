/**
 * The cold-start bench's baseline: `GET /groups` as a hand-written Express handler would serve it (the same
 * DynamoDB queries as the API: newest first over the listing index's shards), wrapped by the same serverless-express and
 * bundled the same way as the API. No Nest, no validation, no auth: what is left is the floor.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { configure as serverlessExpress } from '@vendia/serverless-express';
import express from 'express';
import { newestGroups } from './newest-groups.js';

const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
);

const app = express();
app.get('/groups', async (request, response) => {
  const limit = Math.min(Number(request.query.limit ?? 20), 100);
  response.json(await newestGroups(dynamoDb, limit));
});

export const handler = serverlessExpress({ app });
