import 'aws-sdk-client-mock-vitest/extend';
import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsRepository } from './connections.repository.js';
import type { ImageStatusMessage } from './image-status-message.js';
import { ImageStatusNotifier } from './image-status-notifier.js';

const MESSAGE: ImageStatusMessage = {
  type: 'ImageStatusChanged',
  imageId: 'image-1',
  groupId: 'group-1',
  status: 'CLASSIFIED',
  classLabel: 'golden retriever',
};

const gone = () => new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });

describe('ImageStatusNotifier', () => {
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);
  const managementApiMock = mockClient(ApiGatewayManagementApiClient);
  let notifier: ImageStatusNotifier;

  const postedData = () =>
    managementApiMock.commandCalls(PostToConnectionCommand).map((call) => JSON.parse(String(call.args[0].input.Data)));

  function givenConnections(...connectionIds: string[]): void {
    dynamoDbMock.on(ScanCommand).resolves({ Items: connectionIds.map((connectionId) => ({ connectionId })) });
  }

  beforeEach(() => {
    dynamoDbMock.reset();
    managementApiMock.reset();
    dynamoDbMock.on(DeleteCommand).resolves({});
    managementApiMock.on(PostToConnectionCommand).resolves({});
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const config = { region: 'us-east-1', connectionsTableName: 'connections', managementEndpoint: 'http://127.0.0.1:1' };
    notifier = new ImageStatusNotifier(
      new ConnectionsRepository(dynamoDb, config),
      new ApiGatewayManagementApiClient({ region: 'us-east-1', endpoint: config.managementEndpoint }),
    );
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends the message as JSON to every open connection', async () => {
    givenConnections('a', 'b', 'c');

    await notifier.notify(MESSAGE);

    const connectionIds = managementApiMock.commandCalls(PostToConnectionCommand).map((call) => call.args[0].input.ConnectionId);
    expect(connectionIds.sort()).toEqual(['a', 'b', 'c']);
    expect(postedData()).toEqual([MESSAGE, MESSAGE, MESSAGE]);
  });

  it('sends only the fields of the contract, with a null label for a failed image', async () => {
    givenConnections('a');
    const failed = { ...MESSAGE, status: 'FAILED', classLabel: null, userId: 'alice', objectKey: 'images/x' } as const;

    await notifier.notify(failed);

    expect(postedData()).toEqual([
      { type: 'ImageStatusChanged', imageId: 'image-1', groupId: 'group-1', status: 'FAILED', classLabel: null },
    ]);
  });

  it('forgets a connection that API Gateway reports gone, and still notifies the others', async () => {
    givenConnections('a', 'stale', 'c');
    managementApiMock.on(PostToConnectionCommand, { ConnectionId: 'stale' }).rejects(gone());

    await notifier.notify(MESSAGE);

    expect(dynamoDbMock).toHaveReceivedCommandTimes(DeleteCommand, 1);
    expect(dynamoDbMock).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'connections', Key: { connectionId: 'stale' } });
    expect(managementApiMock).toHaveReceivedCommandTimes(PostToConnectionCommand, 3);
    expect(Logger.prototype.warn).not.toHaveBeenCalled();
  });

  it('logs any other push failure without throwing or forgetting the connection', async () => {
    givenConnections('a', 'b');
    managementApiMock
      .on(PostToConnectionCommand, { ConnectionId: 'a' })
      .rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));

    await expect(notifier.notify(MESSAGE)).resolves.toBeUndefined();

    expect(Logger.prototype.warn).toHaveBeenCalledOnce();
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      'ImageStatusChanged for image image-1 not sent to connection a: ForbiddenException: Forbidden',
    );
    expect(dynamoDbMock).not.toHaveReceivedCommand(DeleteCommand);
    expect(managementApiMock).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'b' });
  });

  it('logs a gone connection whose row cannot be deleted, without throwing', async () => {
    givenConnections('stale');
    managementApiMock.on(PostToConnectionCommand).rejects(gone());
    dynamoDbMock.on(DeleteCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(notifier.notify(MESSAGE)).resolves.toBeUndefined();

    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringMatching(/^Connection stale is gone but its row stays/));
  });

  it('logs a failure to list the connections without throwing, and sends nothing', async () => {
    dynamoDbMock.on(ScanCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(notifier.notify(MESSAGE)).resolves.toBeUndefined();

    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringMatching(/^ImageStatusChanged for image image-1 not sent: cannot list the connections/),
    );
    expect(managementApiMock).not.toHaveReceivedCommand(PostToConnectionCommand);
  });

  it('pushes in parallel, but never more than eight at a time', async () => {
    givenConnections(...Array.from({ length: 30 }, (_, index) => `connection-${index}`));
    let inFlight = 0;
    let mostInFlight = 0;
    managementApiMock.on(PostToConnectionCommand).callsFake(async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(2);
      inFlight -= 1;
      return {};
    });

    await notifier.notify(MESSAGE);

    expect(managementApiMock).toHaveReceivedCommandTimes(PostToConnectionCommand, 30);
    expect(mostInFlight).toBe(8);
  });
});
