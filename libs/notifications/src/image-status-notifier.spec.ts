import 'aws-sdk-client-mock-vitest/extend';
import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageStatusMessage } from './image-status-message.js';
import { ImageStatusNotifier, POST_CONCURRENCY } from './image-status-notifier.js';
import type { SubscriptionsRepository } from './subscriptions.repository.js';
import type { WebSocketConnections } from './websocket-connections.js';

const MESSAGE: ImageStatusMessage = {
  type: 'ImageStatusChanged',
  imageId: 'image-1',
  groupId: 'group-1',
  status: 'CLASSIFIED',
  classLabel: 'golden retriever',
};

const gone = () => new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });

describe('ImageStatusNotifier', () => {
  const managementApiMock = mockClient(ApiGatewayManagementApiClient);
  const watchersOf = vi.fn<(groupId: string) => AsyncGenerator<string>>();
  const disconnect = vi.fn<(connectionId: string) => Promise<void>>();
  let notifier: ImageStatusNotifier;

  const postedTo = () =>
    managementApiMock.commandCalls(PostToConnectionCommand).map((call) => call.args[0].input.ConnectionId);
  const postedData = () =>
    managementApiMock.commandCalls(PostToConnectionCommand).map((call) => JSON.parse(String(call.args[0].input.Data)));

  function givenWatchers(...connectionIds: string[]): void {
    watchersOf.mockImplementation(async function* () {
      yield* connectionIds;
    });
  }

  /** Each post takes 2 ms; `most()` is the largest number of posts that were in flight at once. */
  function countPostsInFlight(): { most: () => number } {
    let inFlight = 0;
    let mostInFlight = 0;
    managementApiMock.on(PostToConnectionCommand).callsFake(async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(2);
      inFlight -= 1;
      return {};
    });
    return { most: () => mostInFlight };
  }

  beforeEach(() => {
    managementApiMock.reset();
    watchersOf.mockReset();
    disconnect.mockReset().mockResolvedValue(undefined);
    managementApiMock.on(PostToConnectionCommand).resolves({});
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    notifier = new ImageStatusNotifier(
      { watchers: watchersOf } as unknown as SubscriptionsRepository,
      { disconnect } as unknown as WebSocketConnections,
      new ApiGatewayManagementApiClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }),
    );
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends the message as JSON to every watcher of the image’s group, and to no one else', async () => {
    givenWatchers('a', 'b', 'c');

    await expect(notifier.notify(MESSAGE)).resolves.toEqual({ sent: 3, gone: 0, failed: 0 });

    expect(watchersOf).toHaveBeenCalledExactlyOnceWith('group-1');
    expect(postedTo().sort()).toEqual(['a', 'b', 'c']);
    expect(postedData()).toEqual([MESSAGE, MESSAGE, MESSAGE]);
  });

  it('sends only the fields of the contract, with a null label for a failed image', async () => {
    givenWatchers('a');
    const failed = { ...MESSAGE, status: 'FAILED', classLabel: null, userId: 'alice', objectKey: 'images/x' } as const;

    await notifier.notify(failed);

    expect(postedData()).toEqual([
      { type: 'ImageStatusChanged', imageId: 'image-1', groupId: 'group-1', status: 'FAILED', classLabel: null },
    ]);
  });

  it('adds the image’s correlation id when it has one, the other fields unchanged', async () => {
    givenWatchers('a');

    await notifier.notify({ ...MESSAGE, correlationId: 'req-1' });

    expect(postedData()).toEqual([{ ...MESSAGE, correlationId: 'req-1' }]);
  });

  it('forgets a connection API Gateway reports gone, subscriptions and all, and still notifies the others', async () => {
    givenWatchers('a', 'stale', 'c');
    managementApiMock.on(PostToConnectionCommand, { ConnectionId: 'stale' }).rejects(gone());

    await expect(notifier.notify(MESSAGE)).resolves.toEqual({ sent: 2, gone: 1, failed: 0 });

    expect(disconnect).toHaveBeenCalledExactlyOnceWith('stale');
    expect(Logger.prototype.warn).not.toHaveBeenCalled();
  });

  it('logs any other push failure without throwing or forgetting the connection', async () => {
    givenWatchers('a', 'b');
    managementApiMock
      .on(PostToConnectionCommand, { ConnectionId: 'a' })
      .rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));

    await expect(notifier.notify(MESSAGE)).resolves.toEqual({ sent: 1, gone: 0, failed: 1 });

    expect(Logger.prototype.warn).toHaveBeenCalledExactlyOnceWith(
      'ImageStatusChanged for image image-1 not sent to connection a: ForbiddenException: Forbidden',
    );
    expect(disconnect).not.toHaveBeenCalled();
  });

  it('logs a gone connection whose rows cannot be deleted, without throwing', async () => {
    givenWatchers('stale');
    managementApiMock.on(PostToConnectionCommand).rejects(gone());
    disconnect.mockRejectedValue(new Error('DynamoDB is unavailable'));

    await expect(notifier.notify(MESSAGE)).resolves.toEqual({ sent: 0, gone: 1, failed: 0 });

    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Connection stale is gone but its rows stay/),
    );
  });

  it('logs a failure to list the watchers without throwing, after sending to those already listed', async () => {
    watchersOf.mockImplementation(async function* () {
      yield 'a';
      throw new Error('DynamoDB is unavailable');
    });

    await expect(notifier.notify(MESSAGE)).resolves.toEqual({ sent: 1, gone: 0, failed: 0 });

    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringMatching(/^ImageStatusChanged for image image-1: cannot list the watchers of group group-1/),
    );
  });

  it(`pushes in parallel, but never more than ${POST_CONCURRENCY} at a time`, async () => {
    givenWatchers(...Array.from({ length: POST_CONCURRENCY * 3 }, (_, index) => `connection-${index}`));
    const posts = countPostsInFlight();

    await notifier.notify(MESSAGE);

    expect(managementApiMock).toHaveReceivedCommandTimes(PostToConnectionCommand, POST_CONCURRENCY * 3);
    expect(posts.most()).toBe(POST_CONCURRENCY);
  });

  it(`shares its ${POST_CONCURRENCY} posts in flight between notifications that run at once`, async () => {
    givenWatchers(...Array.from({ length: POST_CONCURRENCY * 2 }, (_, index) => `connection-${index}`));
    const posts = countPostsInFlight();

    const reports = await Promise.all([notifier.notify(MESSAGE), notifier.notify({ ...MESSAGE, imageId: 'image-2' })]);

    expect(reports.map(({ sent }) => sent)).toEqual([POST_CONCURRENCY * 2, POST_CONCURRENCY * 2]);
    expect(posts.most()).toBe(POST_CONCURRENCY);
  });

  it('is off without a management endpoint: it says so once and lists no one', async () => {
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const off = new ImageStatusNotifier(
      { watchers: watchersOf } as unknown as SubscriptionsRepository,
      { disconnect } as unknown as WebSocketConnections,
      null,
    );

    await expect(off.notify(MESSAGE)).resolves.toEqual({ sent: 0, gone: 0, failed: 0 });
    await off.notify(MESSAGE);

    expect(log).toHaveBeenCalledExactlyOnceWith('Notifications are off: WEBSOCKET_MANAGEMENT_ENDPOINT is not set');
    expect(watchersOf).not.toHaveBeenCalled();
  });
});
