import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImageStatusFeed } from './image-status-feed';

const OPEN = 1;
const CLOSED = 3;

/** A socket the test opens, feeds and closes by hand; it records what the feed sends. */
class FakeSocket {
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = CLOSED;
  }

  open(): void {
    this.readyState = OPEN;
    this.onopen?.();
  }

  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(): void {
    this.readyState = CLOSED;
    this.onclose?.();
  }
}

describe('ImageStatusFeed', () => {
  let sockets: FakeSocket[];
  let feed: ImageStatusFeed;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', { OPEN });
    sockets = [];
    feed = new ImageStatusFeed('ws://gateway', () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    });
  });

  afterEach(() => {
    feed.stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('subscribes to the groups watched before the socket opened, once it opens', () => {
    feed.watch('g1');
    feed.watch('g2');
    feed.start();

    sockets[0]!.open();

    expect(sockets[0]!.sent).toEqual([
      { action: 'subscribe', groupId: 'g1' },
      { action: 'subscribe', groupId: 'g2' },
    ]);
  });

  it('subscribes once per group however many screens watch it, and unsubscribes when the last one stops', () => {
    feed.start();
    sockets[0]!.open();

    const stopFirst = feed.watch('g1');
    const stopSecond = feed.watch('g1');
    stopFirst();
    stopFirst();
    expect(sockets[0]!.sent).toEqual([{ action: 'subscribe', groupId: 'g1' }]);
    stopSecond();

    expect(sockets[0]!.sent).toEqual([
      { action: 'subscribe', groupId: 'g1' },
      { action: 'unsubscribe', groupId: 'g1' },
    ]);
  });

  it('watches a group only once the server confirms, and not after a refusal', () => {
    feed.start();
    sockets[0]!.open();
    feed.watch('g1');
    feed.watch('g2');

    expect(feed.isWatching('g1')).toBe(false);
    sockets[0]!.receive({ type: 'Subscribed', groupId: 'g1' });
    sockets[0]!.receive({ type: 'SubscriptionRefused', groupId: 'g2', reason: 'TooManySubscriptions' });

    expect(feed.isWatching('g1')).toBe(true);
    expect(feed.isWatching('g2')).toBe(false);
  });

  it('subscribes again after a reconnect, and watches nothing while it is down', () => {
    feed.start();
    sockets[0]!.open();
    feed.watch('g1');
    sockets[0]!.receive({ type: 'Subscribed', groupId: 'g1' });

    sockets[0]!.drop();
    expect(feed.isWatching('g1')).toBe(false);
    vi.advanceTimersByTime(1_000);
    sockets[1]!.open();

    expect(sockets[1]!.sent).toEqual([{ action: 'subscribe', groupId: 'g1' }]);
  });

  it('passes image status changes to its listeners, and not the subscription replies', () => {
    const changes: unknown[] = [];
    feed.onChange((change) => changes.push(change));
    feed.start();
    sockets[0]!.open();
    const change = {
      type: 'ImageStatusChanged',
      imageId: 'i1',
      groupId: 'g1',
      status: 'CLASSIFIED',
      classLabel: 'tabby',
    };

    sockets[0]!.receive({ type: 'Subscribed', groupId: 'g1' });
    sockets[0]!.receive(change);

    expect(changes).toEqual([change]);
  });
});
