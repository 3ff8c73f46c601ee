import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startWebSocketGatewayEmulator, type WebSocketGatewayEmulator } from './websocket-gateway-emulator.js';

type Route = (connectionId: string, event: APIGatewayProxyWebsocketEventV2) => Promise<unknown>;

/** Resolves once the client is open (so $connect has succeeded); rejects on a refused handshake. */
function connectClient(url: string, headers?: Record<string, string>): Promise<WebSocket> {
  const client = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve(client));
    client.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    client.once('error', reject);
  });
}

function nextMessage(client: WebSocket): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve) =>
    client.once('message', (data, isBinary) => resolve({ text: String(data), isBinary })),
  );
}

describe('startWebSocketGatewayEmulator', () => {
  const savedEnvironment = { ...process.env };
  const clients: WebSocket[] = [];
  let onConnect: ReturnType<typeof vi.fn<Route>>;
  let onDisconnect: ReturnType<typeof vi.fn<Route>>;
  let subscribe: ReturnType<typeof vi.fn<Route>>;
  let gateway: WebSocketGatewayEmulator;
  let managementApi: ApiGatewayManagementApiClient;

  async function connect(
    path = '/',
    headers?: Record<string, string>,
  ): Promise<{ client: WebSocket; connectionId: string }> {
    const client = await connectClient(`${gateway.websocketUrl}${path}`, headers);
    clients.push(client);
    return { client, connectionId: onConnect.mock.lastCall![0] };
  }

  beforeEach(async () => {
    // The SDK signs with whatever the default chain finds; the emulator does not check signatures.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'emulator-test', AWS_SECRET_ACCESS_KEY: 'emulator-test' });
    onConnect = vi.fn<Route>(async () => undefined);
    onDisconnect = vi.fn<Route>(async () => undefined);
    subscribe = vi.fn<Route>(async () => undefined);
    gateway = await startWebSocketGatewayEmulator({
      onConnect,
      onDisconnect,
      routes: { subscribe },
      log: () => undefined,
    });
    managementApi = new ApiGatewayManagementApiClient({ region: 'us-east-1', endpoint: gateway.managementEndpoint });
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.terminate());
    await gateway.stop();
    managementApi.destroy();
    process.env = { ...savedEnvironment };
  });

  it('serves WebSocket clients and the management API on one loopback port', () => {
    expect(gateway.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.managementEndpoint).toBe(gateway.websocketUrl.replace('ws:', 'http:'));
  });

  it('delivers a PostToConnection to the client as one text frame', async () => {
    const { client, connectionId } = await connect();
    const received = nextMessage(client);

    await managementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"type":"Hello"}' }));

    await expect(received).resolves.toEqual({ text: '{"type":"Hello"}', isBinary: false });
  });

  it('answers a PostToConnection to an unknown connection with a GoneException', async () => {
    const post = managementApi.send(new PostToConnectionCommand({ ConnectionId: 'L0SM9cOFvHcCIhw=', Data: 'hello' }));

    await expect(post).rejects.toBeInstanceOf(GoneException);
    await expect(post).rejects.toMatchObject({ $metadata: { httpStatusCode: 410 } });
  });

  it('refuses a message over API Gateway’s 128 KB limit with a PayloadTooLargeException', async () => {
    const { connectionId } = await connect();

    const post = managementApi.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x'.repeat(128 * 1024 + 1) }),
    );

    await expect(post).rejects.toBeInstanceOf(PayloadTooLargeException);
  });

  it('runs $connect with an API Gateway-shaped event, query string included, and $disconnect when the client leaves', async () => {
    const { client, connectionId } = await connect('/?groupId=g1');

    expect(connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const [, connectEvent] = onConnect.mock.lastCall!;
    expect(connectEvent).toMatchObject({
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        connectionId,
        domainName: gateway.websocketUrl.slice(5),
      },
      queryStringParameters: { groupId: 'g1' },
      isBase64Encoded: false,
    });
    client.close();
    await vi.waitFor(() => expect(onDisconnect).toHaveBeenCalledOnce());
    expect(onDisconnect.mock.lastCall![0]).toBe(connectionId);
    expect(onDisconnect.mock.lastCall![1].requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      connectionId,
    });
  });

  it('refuses the connection with a 500 when $connect fails, and runs no $disconnect', async () => {
    onConnect.mockRejectedValueOnce(new Error('DynamoDB is unavailable'));

    await expect(connectClient(gateway.websocketUrl)).rejects.toThrow('HTTP 500');

    expect(onConnect).toHaveBeenCalledOnce();
    expect(onDisconnect).not.toHaveBeenCalled();
  });

  it('describes an open connection (GetConnection)', async () => {
    const { connectionId } = await connect('/', { 'User-Agent': 'emulator-spec' });

    const described = await managementApi.send(new GetConnectionCommand({ ConnectionId: connectionId }));

    expect(described.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'emulator-spec' });
    expect(described.ConnectedAt).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - described.ConnectedAt!.getTime())).toBeLessThan(5_000);
    expect(described.LastActiveAt).toEqual(described.ConnectedAt);
  });

  it('closes a connection on DeleteConnection, runs $disconnect, and then reports it gone', async () => {
    const { client, connectionId } = await connect();
    const closed = once(client, 'close');

    await managementApi.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));

    await closed;
    await vi.waitFor(() => expect(onDisconnect).toHaveBeenCalledWith(connectionId, expect.anything()));
    await expect(managementApi.send(new GetConnectionCommand({ ConnectionId: connectionId }))).rejects.toBeInstanceOf(
      GoneException,
    );
  });

  it('closes every connection at stop, and has run $disconnect for each when stop resolves', async () => {
    const first = await connect();
    const second = await connect();
    const closeCodes = Promise.all(
      [first.client, second.client].map(async (client) => (await once(client, 'close'))[0]),
    );

    await gateway.stop();

    await expect(closeCodes).resolves.toEqual([1001, 1001]);
    expect(onDisconnect.mock.calls.map(([connectionId]) => connectionId).sort()).toEqual(
      [first.connectionId, second.connectionId].sort(),
    );
  });

  it('routes a message by its action to that route, with the body, and sends the route’s response back', async () => {
    const { client, connectionId } = await connect();
    subscribe.mockResolvedValueOnce({ statusCode: 200, body: '{"type":"Subscribed"}' });
    const reply = nextMessage(client);

    client.send('{"action":"subscribe","groupId":"g1"}');

    await expect(reply).resolves.toEqual({ text: '{"type":"Subscribed"}', isBinary: false });
    const [routedTo, event] = subscribe.mock.lastCall!;
    expect(routedTo).toBe(connectionId);
    expect(event).toMatchObject({
      requestContext: { routeKey: 'subscribe', eventType: 'MESSAGE', connectionId },
      body: '{"action":"subscribe","groupId":"g1"}',
    });
  });

  it('answers a message no route takes with API Gateway’s Forbidden, and a failing route with its internal error', async () => {
    const { client, connectionId } = await connect();

    const forbidden = nextMessage(client);
    client.send('{"action":"shout"}');
    await expect(forbidden.then(({ text }) => JSON.parse(text))).resolves.toEqual({
      message: 'Forbidden',
      connectionId,
      requestId: expect.any(String),
    });
    const failed = nextMessage(client);
    subscribe.mockRejectedValueOnce(new Error('DynamoDB is unavailable'));
    client.send('{"action":"subscribe"}');
    await expect(failed.then(({ text }) => JSON.parse(text))).resolves.toMatchObject({
      message: 'Internal server error',
      connectionId,
    });
  });

  it('refuses the connection with the status a $connect route answers when it is not 2xx', async () => {
    onConnect.mockResolvedValueOnce({ statusCode: 400 });

    await expect(connectClient(`${gateway.websocketUrl}/?groupId=bad`)).rejects.toThrow('HTTP 400');

    expect(onDisconnect).not.toHaveBeenCalled();
  });
});
