/**
 * The cold-start bench's baseline for the WebSocket function's $connect: the same DynamoDB write (the connection's
 * row, with its expiry) as a hand-written handler would make it, bundled the same way. No Nest: what is left is
 * the floor.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }),
);

// API Gateway closes a WebSocket connection after 2 hours at most (CONNECTION_LIFETIME_SECONDS in libs/notifications).
const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

export async function handler(event: { requestContext: { connectionId: string } }): Promise<{ statusCode: number }> {
  const now = Date.now();
  const Item = {
    connectionId: event.requestContext.connectionId,
    connectedAt: new Date(now).toISOString(),
    expiresAt: Math.floor(now / 1000) + CONNECTION_LIFETIME_SECONDS,
  };
  await dynamoDb.send(new PutCommand({ TableName: process.env.CONNECTIONS_TABLE, Item }));
  return { statusCode: 200 };
}
