import 'aws-sdk-client-mock-vitest/extend';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImageStatusNotifier } from './image-status-notifier.js';
import { MANAGEMENT_API_CLIENT } from './notifications.constants.js';
import { NotificationsModule } from './notifications.module.js';

const MESSAGE = {
  type: 'ImageStatusChanged',
  imageId: 'image-1',
  groupId: 'group-1',
  status: 'CLASSIFIED',
  classLabel: 'tabby, tabby cat',
} as const;

describe('NotificationsModule', () => {
  const savedEnvironment = { ...process.env };
  const dynamoDbMock = mockClient(DynamoDBDocumentClient);
  const managementApiMock = mockClient(ApiGatewayManagementApiClient);

  beforeEach(() => {
    process.env = { ...savedEnvironment, AWS_REGION: 'eu-west-1' };
    delete process.env.WEBSOCKET_MANAGEMENT_ENDPOINT;
    delete process.env.CONNECTIONS_TABLE;
    delete process.env.DYNAMODB_ENDPOINT;
    dynamoDbMock.reset();
    managementApiMock.reset();
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    process.env = savedEnvironment;
    vi.restoreAllMocks();
  });

  it('turns notifications off when no management endpoint is set: it says so once and calls nothing', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [NotificationsModule] }).compile();
    const notifier = moduleRef.get(ImageStatusNotifier);
    vi.mocked(Logger.prototype.log).mockClear(); // Nest's own start-up lines

    await notifier.notify(MESSAGE);
    await notifier.notify(MESSAGE);

    expect(Logger.prototype.log).toHaveBeenCalledOnce();
    expect(Logger.prototype.log).toHaveBeenCalledWith(
      'Notifications are off: WEBSOCKET_MANAGEMENT_ENDPOINT is not set',
    );
    expect(dynamoDbMock).not.toHaveReceivedAnyCommand();
    expect(managementApiMock).not.toHaveReceivedAnyCommand();
    await moduleRef.close();
  });

  it('pushes through the configured management endpoint, stage path included, in the configured region', async () => {
    process.env.WEBSOCKET_MANAGEMENT_ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';

    const moduleRef = await Test.createTestingModule({ imports: [NotificationsModule] }).compile();
    const client = moduleRef.get<ApiGatewayManagementApiClient>(MANAGEMENT_API_CLIENT);

    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({
      protocol: 'https:',
      hostname: 'abc123.execute-api.eu-west-1.amazonaws.com',
      path: '/prod',
    });
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    await moduleRef.close();
  });

  it('refuses to boot with the wss:// URL given as the management endpoint', async () => {
    process.env.WEBSOCKET_MANAGEMENT_ENDPOINT = 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod';

    await expect(Test.createTestingModule({ imports: [NotificationsModule] }).compile()).rejects.toThrow(
      /WEBSOCKET_MANAGEMENT_ENDPOINT must be an http\(s\) URL/,
    );
  });

  it('refuses to boot without a region', async () => {
    delete process.env.AWS_REGION;

    await expect(Test.createTestingModule({ imports: [NotificationsModule] }).compile()).rejects.toThrow(
      /AWS_REGION must be a string/,
    );
  });
});
