export { CONNECTIONS_TIME_TO_LIVE, connectionsTableDefinition } from './connections.table.js';
export type { ImageStatusMessage } from './image-status-message.js';
export { ImageStatusNotifier } from './image-status-notifier.js';
export { DEFAULT_CONNECTIONS_TABLE } from './notifications.config.js';
export { NotificationsModule } from './notifications.module.js';
export { WebSocketConnections } from './websocket-connections.js';
