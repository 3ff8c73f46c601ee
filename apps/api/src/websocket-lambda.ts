import { isGroupId, WebSocketConnections, type SubscriptionRefusal } from '@app/notifications';
import { lambdaInvocations } from '@app/observability';
import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { cachedApplicationContext } from './lambda-boot.js';
import { WebSocketModule } from './websocket.module.js';

/**
 * A 2xx accepts the connection ($connect); a thrown error or another status refuses it. For `subscribe` and
 * `unsubscribe` the body is the route response API Gateway sends back to the client (serverless.ts enables it).
 */
interface RouteResult {
  statusCode: number;
  body?: string;
}

const applicationContext = cachedApplicationContext(WebSocketModule, 'websocket');
const invocation = lambdaInvocations('websocket');

async function connections(): Promise<WebSocketConnections> {
  return (await applicationContext()).get(WebSocketConnections);
}

/**
 * The WebSocket API's $connect route: remembers the connection so that notifications reach it; `?groupId=` also
 * subscribes it to that group (a malformed one refuses the connection with a 400).
 */
export async function connect(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  const { connectionId } = event.requestContext;
  const groupId = (event as { queryStringParameters?: Record<string, string | undefined> }).queryStringParameters
    ?.groupId;
  const webSocketConnections = await connections();
  // Refused before anything is written: API Gateway runs no $disconnect for a refused connection.
  if (groupId !== undefined && !isGroupId(groupId))
    return { statusCode: 400, body: refusedBody(groupId, 'InvalidGroupId') };
  await webSocketConnections.connect(connectionId);
  if (groupId === undefined) return { statusCode: 200 };
  const { refused } = await webSocketConnections.subscribe(connectionId, groupId);
  return refused === undefined ? { statusCode: 200 } : { statusCode: 400, body: refusedBody(groupId, refused) };
}

/** The $disconnect route (best effort in API Gateway: what it misses is removed at the next notification's 410). */
export async function disconnect(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  await (await connections()).disconnect(event.requestContext.connectionId);
  return { statusCode: 200 };
}

/** `{"action":"subscribe","groupId":"…"}`: the group's image status changes reach this connection from now on. */
export async function subscribe(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  const groupId = groupIdOf(event.body);
  const { refused } = await (await connections()).subscribe(event.requestContext.connectionId, groupId);
  return refused === undefined
    ? { statusCode: 200, body: JSON.stringify({ type: 'Subscribed', groupId }) }
    : { statusCode: 400, body: refusedBody(groupId, refused) };
}

/** `{"action":"unsubscribe","groupId":"…"}`. */
export async function unsubscribe(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  const groupId = groupIdOf(event.body);
  const { refused } = await (await connections()).unsubscribe(event.requestContext.connectionId, groupId);
  return refused === undefined
    ? { statusCode: 200, body: JSON.stringify({ type: 'Unsubscribed', groupId }) }
    : { statusCode: 400, body: refusedBody(groupId, refused) };
}

/**
 * Every route in one function (one bundle, one role, warm for any route): API Gateway's integrations may point at
 * the single-route exports or all at this.
 */
export function handler(event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<RouteResult> {
  return invocation(context, () => route(event));
}

function route(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  switch (event.requestContext.routeKey) {
    case '$connect':
      return connect(event);
    case '$disconnect':
      return disconnect(event);
    case 'subscribe':
      return subscribe(event);
    case 'unsubscribe':
      return unsubscribe(event);
    default:
      return Promise.reject(new Error(`No handler for the WebSocket route ${event.requestContext.routeKey}`));
  }
}

function groupIdOf(body: string | undefined): unknown {
  try {
    return (JSON.parse(body ?? '') as { groupId?: unknown } | null)?.groupId;
  } catch {
    return undefined;
  }
}

const REFUSAL_REASONS: Record<SubscriptionRefusal, string> = {
  InvalidGroupId: 'groupId must be a group id (a UUID)',
  TooManySubscriptions: 'This connection already watches the most groups it may; unsubscribe from one first',
  UnknownConnection: 'This connection is not known; reconnect',
};

function refusedBody(groupId: unknown, reason: SubscriptionRefusal): string {
  return JSON.stringify({
    type: 'SubscriptionRefused',
    groupId: typeof groupId === 'string' ? groupId.slice(0, 100) : null,
    reason,
    message: REFUSAL_REASONS[reason],
  });
}
