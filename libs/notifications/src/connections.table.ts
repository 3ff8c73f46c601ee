import type { CreateTableCommandInput, TimeToLiveSpecification } from '@aws-sdk/client-dynamodb';

/** Epoch seconds after which a connection row is garbage (DynamoDB's TTL deletes it, eventually). */
export const CONNECTION_EXPIRY_ATTRIBUTE = 'expiresAt';

/** The WebSocket connections table: one row per open connection, keyed by API Gateway's connectionId. */
export function connectionsTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
  } satisfies CreateTableCommandInput;
}

/**
 * TTL is not part of CreateTable: this is CloudFormation's `TimeToLiveSpecification` table property, and the
 * `TimeToLiveSpecification` of an UpdateTimeToLive call for a table created through the SDK.
 */
export const CONNECTIONS_TIME_TO_LIVE = {
  AttributeName: CONNECTION_EXPIRY_ATTRIBUTE,
  Enabled: true,
} satisfies TimeToLiveSpecification;
