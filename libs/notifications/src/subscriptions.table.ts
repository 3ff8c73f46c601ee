import type { CreateTableCommandInput, TimeToLiveSpecification } from '@aws-sdk/client-dynamodb';

/** Epoch seconds after which a subscription is garbage: its connection's own expiry (DynamoDB's TTL deletes it). */
export const SUBSCRIPTION_EXPIRY_ATTRIBUTE = 'expiresAt';

/**
 * Shards per group. A group's watchers are spread over `<groupId>#0` … `<groupId>#7` by connection id, so one
 * group watched by very many clients spreads over up to 8 partitions: a notification to 100,000 watchers reads
 * ≈100,000 × 80 B ≈ 8 MB ≈ 1,000 RCU (eventually consistent), ≈125 RCU per shard, far below a partition's 3,000 RCU/s,
 * and 500 new subscriptions/s (API Gateway's default connection rate) are ≈60 WCU/s per shard. A group with one
 * watcher costs 8 Queries of 0.5 RCU each: 4 RCU per notification, ≈$0.0000005.
 */
export const SUBSCRIPTION_SHARDS = 8;

/**
 * The subscriptions table: who watches which group. Partition `groupShard` (`<groupId>#<shard>`), sort
 * `connectionId`: a notification Queries the group's shards and never Scans. A connection's own row in the
 * connections table lists the groups it watches, so $disconnect and a 410 delete its subscriptions by key.
 */
export function subscriptionsTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'groupShard', AttributeType: 'S' },
      { AttributeName: 'connectionId', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'groupShard', KeyType: 'HASH' },
      { AttributeName: 'connectionId', KeyType: 'RANGE' },
    ],
  } satisfies CreateTableCommandInput;
}

/** CloudFormation's `TimeToLiveSpecification` of the subscriptions table. */
export const SUBSCRIPTIONS_TIME_TO_LIVE = {
  AttributeName: SUBSCRIPTION_EXPIRY_ATTRIBUTE,
  Enabled: true,
} satisfies TimeToLiveSpecification;

/** The partition key of a connection's subscription to a group: FNV-1a of the connection id picks the shard. */
export function groupShardKey(groupId: string, connectionId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < connectionId.length; index += 1) {
    hash ^= connectionId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${groupId}#${hash % SUBSCRIPTION_SHARDS}`;
}

/** Every partition key a group's subscriptions can live under. */
export function groupShardKeys(groupId: string): string[] {
  return Array.from({ length: SUBSCRIPTION_SHARDS }, (_, shard) => `${groupId}#${shard}`);
}
