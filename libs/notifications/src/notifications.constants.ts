/** The API Gateway management client that pushes to WebSocket connections; `null` when notifications are off. */
export const MANAGEMENT_API_CLIENT = Symbol('MANAGEMENT_API_CLIENT');
