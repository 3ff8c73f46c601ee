import { Injectable } from '@nestjs/common';
import { ConnectionsRepository } from './connections.repository.js';

/** What the WebSocket API's $connect and $disconnect routes do: record who may be notified. */
@Injectable()
export class WebSocketConnections {
  constructor(private readonly connections: ConnectionsRepository) {}

  connect(connectionId: string): Promise<void> {
    return this.connections.add(connectionId);
  }

  disconnect(connectionId: string): Promise<void> {
    return this.connections.remove(connectionId);
  }
}
