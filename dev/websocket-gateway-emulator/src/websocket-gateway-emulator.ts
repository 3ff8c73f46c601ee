import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { newConnectionId } from './connection-id.js';
import { managementApi, type OpenConnection } from './management-api.js';
import { routeEvent } from './route-event.js';

type RouteHandler = (connectionId: string, event: APIGatewayProxyWebsocketEventV2) => unknown;

export interface WebSocketGatewayEmulatorOptions {
  /**
   * The $connect route. A rejection refuses the connection with a 500, as a failing $connect integration does; a
   * result whose `statusCode` is not 2xx refuses it with that status.
   */
  onConnect: RouteHandler;
  /** The $disconnect route, once a connection has closed (either side). A rejection is only logged. */
  onDisconnect: RouteHandler;
  /**
   * Message routes by the route selection expression `$request.body.action` (`{"action":"subscribe",…}` → `subscribe`),
   * else `$default`. A string `body` in a handler's result is sent back as the route response (serverless.ts enables
   * route responses); a message no route takes is answered `Forbidden`, a failing route `Internal server error`, in
   * API Gateway's words.
   */
  routes?: Record<string, RouteHandler>;
  /** Route failures and connection events (default: stderr). */
  log?: (line: string) => void;
}

export interface WebSocketGatewayEmulator {
  /** Where clients connect: `ws://127.0.0.1:PORT`. */
  websocketUrl: string;
  /** The management API's endpoint (WEBSOCKET_MANAGEMENT_ENDPOINT): `http://127.0.0.1:PORT`. */
  managementEndpoint: string;
  /** Closes every connection (each runs $disconnect), then the server. */
  stop(): Promise<void>;
}

/** How long clients get to answer the closing handshake at stop before their sockets are cut. */
const STOP_GRACE_MS = 1_000;
const REFUSED = refusal(500);

function refusal(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

function statusCodeOf(result: unknown): number | undefined {
  const status = (result as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The route selection expression `$request.body.action`: a JSON object's string `action`, if any. */
function actionOf(body: string | undefined): string | undefined {
  try {
    const action = (JSON.parse(body ?? '') as { action?: unknown } | null)?.action;
    return typeof action === 'string' ? action : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A local API Gateway WebSocket API for dev and tests, on one free loopback port: WebSocket clients connect to it
 * (running the $connect and $disconnect routes), and the management API pushes to them.
 */
export async function startWebSocketGatewayEmulator(
  options: WebSocketGatewayEmulatorOptions,
): Promise<WebSocketGatewayEmulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const connections = new Map<string, OpenConnection>();
  const disconnectsRunning = new Set<Promise<void>>();
  // API Gateway's limit on one message, for clients' messages too.
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  const server = createServer(managementApi(connections));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const domainName = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  function disconnect(connectionId: string, connectedAt: Date): void {
    const event = routeEvent({ routeKey: '$disconnect', connectionId, connectedAt, domainName });
    const running: Promise<void> = Promise.resolve()
      .then(() => options.onDisconnect(connectionId, event))
      .then(
        () => log(`Disconnected ${connectionId}`),
        (error: unknown) => log(`$disconnect failed for ${connectionId}: ${String(error)}`),
      )
      .finally(() => disconnectsRunning.delete(running));
    disconnectsRunning.add(running);
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const connectionId = newConnectionId();
    const connectedAt = new Date();
    socket.on('error', (error) => log(`Connection ${connectionId}: ${error.message}`));
    const query = new URL(request.url ?? '/', 'ws://gateway').searchParams;
    const queryStringParameters = query.size > 0 ? Object.fromEntries(query) : undefined;
    try {
      const event = routeEvent({ routeKey: '$connect', connectionId, connectedAt, domainName, queryStringParameters });
      const status = statusCodeOf(await options.onConnect(connectionId, event));
      if (status !== undefined && (status < 200 || status > 299)) {
        log(`$connect refused ${connectionId} with ${status}`);
        return void socket.end(refusal(status));
      }
    } catch (error) {
      log(`$connect refused ${connectionId}: ${String(error)}`);
      return void socket.end(REFUSED);
    }
    // $connect succeeded, so $disconnect must follow even if the client left meanwhile, the emulator began to stop,
    // or the handshake proves bad.
    if (socket.destroyed || stopped) {
      socket.destroy();
      return disconnect(connectionId, connectedAt);
    }
    let opened = false;
    socket.once('close', () => {
      if (!opened) disconnect(connectionId, connectedAt);
    });
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      opened = true;
      const connection: OpenConnection = {
        socket: webSocket,
        connectedAt,
        lastActiveAt: connectedAt,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: request.headers['user-agent'] ?? '',
      };
      connections.set(connectionId, connection);
      log(`Connected ${connectionId}`);
      let routing = Promise.resolve();
      webSocket.on('message', (data, isBinary) => {
        connection.lastActiveAt = new Date();
        const text = isBinary ? undefined : String(data);
        // One message at a time per connection, in arrival order.
        routing = routing.then(() => routeMessage(connectionId, connectedAt, webSocket, text));
      });
      webSocket.once('close', () => {
        connections.delete(connectionId);
        disconnect(connectionId, connectedAt);
      });
    });
  }

  async function routeMessage(
    connectionId: string,
    connectedAt: Date,
    webSocket: WebSocket,
    body: string | undefined,
  ): Promise<void> {
    const routes = options.routes ?? {};
    const action = actionOf(body);
    const routeKey = action !== undefined && Object.hasOwn(routes, action) ? action : '$default';
    const route = Object.hasOwn(routes, routeKey) ? routes[routeKey] : undefined;
    const event = routeEvent({ routeKey, connectionId, connectedAt, domainName, body });
    let reply: string | undefined;
    if (route === undefined) {
      reply = JSON.stringify({ message: 'Forbidden', connectionId, requestId: event.requestContext.requestId });
    } else {
      try {
        const result = await route(connectionId, event);
        reply =
          typeof (result as { body?: unknown } | undefined)?.body === 'string'
            ? (result as { body: string }).body
            : undefined;
      } catch (error) {
        log(`Route ${routeKey} failed for ${connectionId}: ${String(error)}`);
        reply = JSON.stringify({
          message: 'Internal server error',
          connectionId,
          requestId: event.requestContext.requestId,
        });
      }
    }
    if (reply !== undefined && webSocket.readyState === WebSocket.OPEN) webSocket.send(reply);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(request, socket, head));

  let stopped = false;
  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopped = true;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const open = [...connections.values()].map(({ socket }) => socket);
    const socketsClosed = Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    for (const socket of open) socket.close(1001, 'Going away');
    const cut = setTimeout(() => open.forEach((socket) => socket.terminate()), STOP_GRACE_MS);
    await socketsClosed;
    clearTimeout(cut);
    await Promise.all(disconnectsRunning);
    webSockets.close();
    server.closeAllConnections();
    await serverClosed;
  }

  return {
    websocketUrl: `ws://${domainName}`,
    managementEndpoint: `http://${domainName}`,
    stop: () => (stopping ??= stop()),
  };
}
