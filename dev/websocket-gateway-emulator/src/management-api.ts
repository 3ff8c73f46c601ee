import { readBody, sendAwsError as sendJsonError, sendJson } from '@dev/local-cloud';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';

/** A client connected to the emulator, as GetConnection describes it. */
export interface OpenConnection {
  socket: WebSocket;
  connectedAt: Date;
  lastActiveAt: Date;
  sourceIp: string;
  userAgent: string;
}

/** API Gateway's limit on one WebSocket message. */
const MAX_MESSAGE_BYTES = 128 * 1024;
const CONNECTION_PATH = /^\/@connections\/([^/]+)$/;

/**
 * API Gateway's management API, as `ApiGatewayManagementApiClient` calls it: PostToConnection (the body becomes one
 * text frame), GetConnection and DeleteConnection, each answering `GoneException` (410) for a connection not open.
 */
export function managementApi(connections: ReadonlyMap<string, OpenConnection>): RequestListener {
  return (request, response) => {
    serve(connections, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendAwsError(response, 500, 'InternalServerErrorException', String(error));
    });
  };
}

async function serve(
  connections: ReadonlyMap<string, OpenConnection>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, MAX_MESSAGE_BYTES);
  const path = new URL(request.url ?? '/', 'http://gateway').pathname;
  const match = CONNECTION_PATH.exec(path);
  if (!match || !['POST', 'GET', 'DELETE'].includes(request.method ?? '')) {
    return sendAwsError(response, 404, 'NotFoundException', `The emulator does not serve ${request.method} ${path}`);
  }
  const connectionId = decodeURIComponent(match[1]!);
  const connection = connections.get(connectionId);
  if (!connection || connection.socket.readyState !== WebSocket.OPEN) {
    return sendAwsError(response, 410, 'GoneException', `Connection ${connectionId} is gone`);
  }

  switch (request.method) {
    case 'POST':
      if (!body) {
        return sendAwsError(
          response,
          413,
          'PayloadTooLargeException',
          `Message too long; the limit is ${MAX_MESSAGE_BYTES} bytes`,
        );
      }
      try {
        await sendText(connection.socket, body);
      } catch {
        return sendAwsError(response, 410, 'GoneException', `Connection ${connectionId} is gone`);
      }
      return void response.writeHead(200, { 'Content-Length': 0 }).end();
    case 'GET':
      return sendJson(response, 200, {
        connectedAt: connection.connectedAt.toISOString(),
        lastActiveAt: connection.lastActiveAt.toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      });
    default:
      // The client's close handshake then runs the $disconnect route, as in API Gateway.
      connection.socket.close(1000);
      return void response.writeHead(204).end();
  }
}

function sendText(socket: WebSocket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(data, { binary: false }, (error) => (error ? reject(error) : resolve())),
  );
}

/** API Gateway's management API errors carry only a message. */
function sendAwsError(response: ServerResponse, status: number, errorType: string, message: string): void {
  sendJsonError(response, status, errorType, { message });
}
