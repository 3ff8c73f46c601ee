import type { ImageStatus } from '../api/types';

/** What the API's WebSocket sends when an image changes status (e.g. PENDING → CLASSIFIED). */
export interface ImageStatusChanged {
  type: 'ImageStatusChanged';
  imageId: string;
  groupId: string;
  status: ImageStatus;
  classLabel?: string;
}

type Listener<T> = (value: T) => void;

const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * The live notifications: one WebSocket for the app, reopened after a drop with growing pauses. The server sends
 * only the changes of the groups a connection subscribed to: who shows images `watch`es their groups (the feed
 * subscribes, and subscribes again after a reconnect), and asks `isWatching` to know whether it must poll instead
 * (no URL configured, the socket is down, or the server refused the subscription).
 */
export class ImageStatusFeed {
  private socket: WebSocket | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = true;
  private readonly changeListeners = new Set<Listener<ImageStatusChanged>>();
  private readonly connectionListeners = new Set<Listener<boolean>>();
  /** Group id → how many screens watch it. */
  private readonly watchers = new Map<string, number>();
  /** The groups the server confirmed on this connection. */
  private readonly subscribed = new Set<string>();

  constructor(
    private readonly url: string | undefined,
    private readonly createSocket: (url: string) => WebSocket = (url) => new WebSocket(url),
  ) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped || this.url === undefined) return;
    this.stopped = false;
    this.open(this.url);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.socket = undefined;
  }

  /** Asks for a group's changes until the returned function is called (screens may watch the same group). */
  watch(groupId: string): () => void {
    const count = this.watchers.get(groupId) ?? 0;
    this.watchers.set(groupId, count + 1);
    if (count === 0) this.send({ action: 'subscribe', groupId });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.watchers.get(groupId) ?? 1) - 1;
      if (left > 0) return void this.watchers.set(groupId, left);
      this.watchers.delete(groupId);
      this.subscribed.delete(groupId);
      this.send({ action: 'unsubscribe', groupId });
    };
  }

  /** True while the server sends this group's changes on an open connection. */
  isWatching(groupId: string): boolean {
    return this.connected && this.subscribed.has(groupId);
  }

  onChange(listener: Listener<ImageStatusChanged>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onConnection(listener: Listener<boolean>): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private open(url: string): void {
    const socket = this.createSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      // A new connection watches nothing yet: subscribe again to every group still watched.
      for (const groupId of this.watchers.keys()) this.send({ action: 'subscribe', groupId });
      this.connectionListeners.forEach((listener) => listener(true));
    };
    socket.onmessage = (message) => {
      const reply = parseSubscriptionReply(message.data);
      if (reply) {
        if (reply.type === 'Subscribed' && this.watchers.has(reply.groupId)) this.subscribed.add(reply.groupId);
        else this.subscribed.delete(reply.groupId);
        // Whoever polls for lack of a subscription re-reads isWatching.
        this.connectionListeners.forEach((listener) => listener(this.connected));
        return;
      }
      const change = parseChange(message.data);
      if (change) this.changeListeners.forEach((listener) => listener(change));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.subscribed.clear();
      this.connectionListeners.forEach((listener) => listener(false));
      if (this.stopped) return;
      const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)];
      this.failures += 1;
      this.reconnectTimer = setTimeout(() => this.open(url), delay);
    };
  }

  private send(message: { action: 'subscribe' | 'unsubscribe'; groupId: string }): void {
    // Not open: onopen subscribes to whatever is watched then.
    if (this.connected) this.socket!.send(JSON.stringify(message));
  }
}

interface SubscriptionReply {
  type: 'Subscribed' | 'Unsubscribed' | 'SubscriptionRefused';
  groupId: string;
}

function parseSubscriptionReply(data: unknown): SubscriptionReply | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const message = JSON.parse(data) as Partial<SubscriptionReply>;
    return (message.type === 'Subscribed' ||
      message.type === 'Unsubscribed' ||
      message.type === 'SubscriptionRefused') &&
      typeof message.groupId === 'string'
      ? (message as SubscriptionReply)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseChange(data: unknown): ImageStatusChanged | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const message = JSON.parse(data) as Partial<ImageStatusChanged>;
    return message.type === 'ImageStatusChanged' && typeof message.imageId === 'string'
      ? (message as ImageStatusChanged)
      : undefined;
  } catch {
    return undefined;
  }
}
