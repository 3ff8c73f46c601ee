import 'aws-sdk-client-mock-vitest/extend';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const CONNECTION_ID = 'L0SM9cOFvHcCIhw=';

function routeEvent(routeKey: '$connect' | '$disconnect'): APIGatewayProxyWebsocketEventV2 {
  return {
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
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
    process.env = { ...savedEnvironment, AWS_REGION: 'eu-west-1', CONNECTIONS_TABLE: 'udagram-connections-prod' };
    delete process.env.DYNAMODB_ENDPOINT;
    dynamoDbMock.reset();
    dynamoDbMock.on(PutCommand).resolves({});
    dynamoDbMock.on(DeleteCommand).resolves({});
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
});
