import { WebSocketConnections } from '@app/notifications';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { WebSocketModule } from './websocket.module.js';

/** A 2xx accepts the connection; a thrown error makes API Gateway refuse it. */
interface RouteResult {
  statusCode: number;
}

let contextStarting: Promise<INestApplicationContext> | undefined;

/** Built on the first invocation and reused by the warm ones; a failed start is retried by the next invocation. */
function applicationContext(): Promise<INestApplicationContext> {
  contextStarting ??= NestFactory.createApplicationContext(WebSocketModule, {
    logger: ['error', 'warn'],
    // Throw instead of exiting the process: the Lambda runtime (or the local emulator) reports the error.
    abortOnError: false,
  }).catch((error: unknown) => {
    contextStarting = undefined;
    throw error;
  });
  return contextStarting;
}

/** The WebSocket API's $connect route: remembers the connection so that notifications reach it. */
export async function connect(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  const connections = (await applicationContext()).get(WebSocketConnections);
  await connections.connect(event.requestContext.connectionId);
  return { statusCode: 200 };
}

/** The $disconnect route (best effort in API Gateway: a row it misses is removed at the next notification's 410). */
export async function disconnect(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  const connections = (await applicationContext()).get(WebSocketConnections);
  await connections.disconnect(event.requestContext.connectionId);
  return { statusCode: 200 };
}

/**
 * Both routes in one function (one bundle, one role, warm for either route): API Gateway's `$connect` and
 * `$disconnect` integrations may point at `connect` and `disconnect` or both at this.
 */
export function handler(event: APIGatewayProxyWebsocketEventV2): Promise<RouteResult> {
  switch (event.requestContext.routeKey) {
    case '$connect':
      return connect(event);
    case '$disconnect':
      return disconnect(event);
    default:
      return Promise.reject(new Error(`No handler for the WebSocket route ${event.requestContext.routeKey}`));
  }
}
