import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionsRepository } from './connections.repository.js';
import type { SubscriptionsRepository } from './subscriptions.repository.js';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION, WebSocketConnections } from './websocket-connections.js';

const GROUP = '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f';

describe('WebSocketConnections', () => {
  const connections = { add: vi.fn(), remove: vi.fn(), addGroup: vi.fn(), removeGroup: vi.fn() };
  const subscriptions = { put: vi.fn(), delete: vi.fn(), deleteAll: vi.fn() };
  let webSocketConnections: WebSocketConnections;

  beforeEach(() => {
    vi.resetAllMocks();
    webSocketConnections = new WebSocketConnections(
      connections as unknown as ConnectionsRepository,
      subscriptions as unknown as SubscriptionsRepository,
    );
  });

  it('subscribes: the group goes on the connection’s row (bounded), then the subscription, expiring with the connection', async () => {
    connections.addGroup.mockResolvedValue({ expiresAt: 1_800_000_000 });

    await expect(webSocketConnections.subscribe('c1', GROUP)).resolves.toEqual({});

    expect(connections.addGroup).toHaveBeenCalledWith('c1', GROUP, MAX_SUBSCRIPTIONS_PER_CONNECTION);
    expect(subscriptions.put).toHaveBeenCalledWith(GROUP, 'c1', 1_800_000_000);
  });

  it.each([[''], ['not-a-uuid'], [42], [null], [undefined], [`${GROUP}#0`], ['../groups']])(
    'refuses to subscribe to %j, writing nothing',
    async (groupId) => {
      await expect(webSocketConnections.subscribe('c1', groupId)).resolves.toEqual({ refused: 'InvalidGroupId' });
      await expect(webSocketConnections.unsubscribe('c1', groupId)).resolves.toEqual({ refused: 'InvalidGroupId' });

      expect(connections.addGroup).not.toHaveBeenCalled();
      expect(subscriptions.put).not.toHaveBeenCalled();
      expect(subscriptions.delete).not.toHaveBeenCalled();
    },
  );

  it('passes on a refusal for a full or unknown connection, and stores no subscription', async () => {
    connections.addGroup.mockResolvedValue({ refused: 'TooManySubscriptions' });

    await expect(webSocketConnections.subscribe('c1', GROUP)).resolves.toEqual({ refused: 'TooManySubscriptions' });

    expect(subscriptions.put).not.toHaveBeenCalled();
  });

  it('unsubscribes: the subscription, then the group off the connection’s row', async () => {
    await expect(webSocketConnections.unsubscribe('c1', GROUP)).resolves.toEqual({});

    expect(subscriptions.delete).toHaveBeenCalledWith(GROUP, 'c1');
    expect(connections.removeGroup).toHaveBeenCalledWith('c1', GROUP);
    expect(subscriptions.delete.mock.invocationCallOrder[0]).toBeLessThan(
      connections.removeGroup.mock.invocationCallOrder[0]!,
    );
  });

  it('disconnects: the connection’s row, then each subscription it listed, by key', async () => {
    connections.remove.mockResolvedValue(['g1', 'g2']);

    await webSocketConnections.disconnect('c1');

    expect(connections.remove).toHaveBeenCalledWith('c1');
    expect(subscriptions.deleteAll).toHaveBeenCalledWith('c1', ['g1', 'g2']);
  });
});
