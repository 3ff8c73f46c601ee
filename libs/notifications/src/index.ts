export { CONNECTIONS_TIME_TO_LIVE, connectionsTableDefinition } from './connections.table.js';
export { isGroupId } from './group-id.js';
export { IMAGE_STATUS_FILTER_PATTERNS, statusMessageOf, type StreamFilterPattern } from './image-status-change.js';
export type { AnnouncedStatus, ImageStatusMessage } from './image-status-message.js';
export { ImageStatusNotifier, POST_CONCURRENCY, type NotificationReport } from './image-status-notifier.js';
export {
  ImageStatusStreamHandler,
  NOTIFICATION_CONCURRENCY,
  NOTIFICATION_TIME_RESERVE_MS,
  NOTIFIER_TIMEOUT_SECONDS,
} from './image-status-stream-handler.js';
export { NOTIFIER_STREAM_SETTINGS } from './notifier-stream.settings.js';
export { DEFAULT_CONNECTIONS_TABLE, DEFAULT_SUBSCRIPTIONS_TABLE } from './notifications.config.js';
export { NotificationsModule } from './notifications.module.js';
export {
  groupShardKey,
  SUBSCRIPTION_SHARDS,
  SUBSCRIPTIONS_TIME_TO_LIVE,
  subscriptionsTableDefinition,
} from './subscriptions.table.js';
export {
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  WebSocketConnections,
  type SubscriptionRefusal,
} from './websocket-connections.js';
