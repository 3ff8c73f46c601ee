import 'aws-sdk-client-mock-vitest/extend';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const CONNECTION_ID = 'L0SM9cOFvHcCIhw=';
const GROUP = '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f';

function routeEvent(
  routeKey: '$connect' | '$disconnect' | 'subscribe' | 'unsubscribe',
  extra: { body?: string; queryStringParameters?: Record<string, string> } = {},
): APIGatewayProxyWebsocketEventV2 {
  return {
    ...extra,
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      messageId: 'm1',
      extendedRequestId: 'r1',
      requestId: 'r1',
      requestTime: '26/Nov/2026:07:00:00 +0000',
      requestTimeEpoch: 1_795_676_400_000,
      messageDirection: 'IN',
      stage: 'prod',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      connectionId: CONNECTION_ID,
      connectedAt: 1_795_676_400_000,
    },
    isBase64Encoded: false,
  };
}

/** A fresh copy of the handler module, as in a new Lambda execution environment (its context not yet built). */
async function coldHandlers() {
  vi.resetModules();
  return import('./websocket-lambda.js');
}

describe('the WebSocket Lambda handlers', () => {
  const savedEnvironment = { ...process.env };
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);

  beforeEach(() => {
    process.env = {
      ...savedEnvironment,
      AWS_REGION: 'eu-west-1',
      CONNECTIONS_TABLE: 'udagram-connections-prod',
      SUBSCRIPTIONS_TABLE: 'udagram-subscriptions-prod',
    };
    delete process.env.DYNAMODB_ENDPOINT;
    dynamoDbMock.reset();
    dynamoDbMock.on(PutCommand).resolves({});
    dynamoDbMock.on(DeleteCommand).resolves({});
    dynamoDbMock.on(UpdateCommand).resolves({ Attributes: { connectionId: CONNECTION_ID, expiresAt: 1_800_000_000 } });
    dynamoDbMock.on(BatchWriteCommand).resolves({});
  });

  afterEach(() => {
    process.env = savedEnvironment;
    vi.restoreAllMocks();
  });

  it('records the connection on $connect and accepts it', async () => {
    const { connect } = await coldHandlers();

    await expect(connect(routeEvent('$connect'))).resolves.toEqual({ statusCode: 200 });

    expect(dynamoDbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'udagram-connections-prod',
      Item: expect.objectContaining({ connectionId: CONNECTION_ID }),
    });
  });

  it('forgets the connection on $disconnect', async () => {
    const { disconnect } = await coldHandlers();

    await expect(disconnect(routeEvent('$disconnect'))).resolves.toEqual({ statusCode: 200 });

    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'udagram-connections-prod',
      Key: { connectionId: CONNECTION_ID },
    });
  });

  it('builds the application context once, for every warm invocation of either route', async () => {
    const createContext = vi.spyOn(NestFactory, 'createApplicationContext');
    const { connect, disconnect } = await coldHandlers();

    await Promise.all([connect(routeEvent('$connect')), connect(routeEvent('$connect'))]);
    await disconnect(routeEvent('$disconnect'));

    expect(createContext).toHaveBeenCalledOnce();
  });

  it('fails an invocation whose start fails, and starts afresh at the next one', async () => {
    const createContext = vi.spyOn(NestFactory, 'createApplicationContext');
    const logError = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { connect } = await coldHandlers();
    delete process.env.AWS_REGION;

    await expect(connect(routeEvent('$connect'))).rejects.toThrow(/AWS_REGION must be a string/);
    process.env.AWS_REGION = 'eu-west-1';
    await expect(connect(routeEvent('$connect'))).resolves.toEqual({ statusCode: 200 });

    expect(createContext).toHaveBeenCalledTimes(2);
    expect(logError).toHaveBeenCalledWith(expect.objectContaining({ name: 'InvalidConfigurationError' }));
  });

  it('serves both routes from one handler, by route key', async () => {
    const { handler } = await coldHandlers();

    await handler(routeEvent('$connect'));
    await handler(routeEvent('$disconnect'));

    expect(dynamoDbMock).toHaveReceivedCommandOnce(PutCommand);
    expect(dynamoDbMock).toHaveReceivedCommandOnce(DeleteCommand);
    const unknownRoute = routeEvent('$connect');
    unknownRoute.requestContext.routeKey = '$default';
    await expect(handler(unknownRoute)).rejects.toThrow('No handler for the WebSocket route $default');
  });

  it('refuses the connection when DynamoDB is unavailable', async () => {
    dynamoDbMock.on(PutCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const { connect } = await coldHandlers();

    // Compared by name: the fresh module graph has its own copy of the error class.
    await expect(connect(routeEvent('$connect'))).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'DynamoDB is unavailable; try again later',
    });
  });

  it('subscribes the connection to the group named in ?groupId= on $connect', async () => {
    const { handler } = await coldHandlers();

    await expect(handler(routeEvent('$connect', { queryStringParameters: { groupId: GROUP } }))).resolves.toEqual({
      statusCode: 200,
    });

    expect(dynamoDbMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'udagram-connections-prod',
      Key: { connectionId: CONNECTION_ID },
    });
    expect(dynamoDbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'udagram-subscriptions-prod',
      Item: expect.objectContaining({ connectionId: CONNECTION_ID, groupId: GROUP, expiresAt: 1_800_000_000 }),
    });
  });

  it('refuses a connection whose ?groupId= is not a group id, before writing anything', async () => {
    const { handler } = await coldHandlers();

    const result = await handler(routeEvent('$connect', { queryStringParameters: { groupId: 'g1#0' } }));

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual({
      type: 'SubscriptionRefused',
      groupId: 'g1#0',
      reason: 'InvalidGroupId',
      message: 'groupId must be a group id (a UUID)',
    });
    expect(dynamoDbMock).not.toHaveReceivedAnyCommand();
  });

  it('answers a subscribe message through the route response, and refuses a malformed one', async () => {
    const { handler } = await coldHandlers();

    await expect(
      handler(routeEvent('subscribe', { body: JSON.stringify({ action: 'subscribe', groupId: GROUP }) })),
    ).resolves.toEqual({
      statusCode: 200,
      body: JSON.stringify({ type: 'Subscribed', groupId: GROUP }),
    });
    const refused = await handler(routeEvent('subscribe', { body: '{"action":"subscribe"' }));
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body!)).toMatchObject({
      type: 'SubscriptionRefused',
      groupId: null,
      reason: 'InvalidGroupId',
    });
  });

  it('unsubscribes: the subscription and the group on the connection’s row go', async () => {
    const { handler } = await coldHandlers();

    await expect(
      handler(routeEvent('unsubscribe', { body: JSON.stringify({ action: 'unsubscribe', groupId: GROUP }) })),
    ).resolves.toEqual({
      statusCode: 200,
      body: JSON.stringify({ type: 'Unsubscribed', groupId: GROUP }),
    });
    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'udagram-subscriptions-prod' });
    expect(dynamoDbMock).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'DELETE #groups :group' });
  });

  it('deletes the subscriptions the connection’s row lists on $disconnect, by key', async () => {
    dynamoDbMock.on(DeleteCommand).resolves({ Attributes: { connectionId: CONNECTION_ID, groups: new Set([GROUP]) } });
    const { disconnect } = await coldHandlers();

    await disconnect(routeEvent('$disconnect'));

    expect(dynamoDbMock).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        'udagram-subscriptions-prod': [
          { DeleteRequest: { Key: expect.objectContaining({ connectionId: CONNECTION_ID }) } },
        ],
      },
    });
  });
});
