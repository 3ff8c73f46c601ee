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
 * The live notifications: one WebSocket for the app, reopened after a drop with growing pauses. Who shows images
 * asks `connected` to know whether it must poll instead (no URL configured, or the socket is down).
 */
export class ImageStatusFeed {
  private socket: WebSocket | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = true;
  private readonly changeListeners = new Set<Listener<ImageStatusChanged>>();
  private readonly connectionListeners = new Set<Listener<boolean>>();

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
      this.connectionListeners.forEach((listener) => listener(true));
    };
    socket.onmessage = (message) => {
      const change = parseChange(message.data);
      if (change) this.changeListeners.forEach((listener) => listener(change));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.connectionListeners.forEach((listener) => listener(false));
      if (this.stopped) return;
      const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)];
      this.failures += 1;
      this.reconnectTimer = setTimeout(() => this.open(url), delay);
    };
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
