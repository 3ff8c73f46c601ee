export { DEV_AUDIENCE, DevIdentityProvider, type TokenOverrides } from './dev-identity-provider.js';
export { API_RESOURCE_INDICATOR, SWAGGER_UI_CLIENT_ID, WEB_APP_CLIENT_ID } from './dev-openid-provider.js';
export type { DevSigningKey } from './dev-signing-key.js';
export { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './local-cloud.js';
export type { S3Notification, S3NotificationRecord } from './s3-notification.js';
export {
  startDynamoDbStreamPoller,
  type DynamoDbStreamPoller,
  type DynamoDbStreamPollerOptions,
} from './dynamodb-stream-poller.js';
export { matchesAnyPattern, type FilterPattern } from './event-filter.js';
export {
  startSqsEventSourceMapping,
  type SqsEventSourceMapping,
  type SqsEventSourceMappingOptions,
  type SqsHandler,
} from './sqs-event-source-mapping.js';
export { startSqsEmulator, type QueueDefinition, type QueuedMessage, type SqsEmulator } from './sqs-queue-emulator.js';
export { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
export { ensureTables } from './dynamodb-tables.js';
export { readBody, sendAwsError, sendJson } from './http-messages.js';
