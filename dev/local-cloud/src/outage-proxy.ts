import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from './free-port.js';

/**
 * A loopback HTTP pass-through in front of a local service, so that a fault test's outage begins cleanly. `drain()`
 * refuses new requests (their connection is dropped, as a service that is down drops it) and resolves once every
 * request already forwarded has been answered: nothing is acknowledged after the service is told to stop.
 * `resume()` forwards again, to wherever `target` then points.
 */
export interface OutageProxy {
  endpoint: string;
  drain(): Promise<void>;
  resume(): void;
  close(): Promise<void>;
}

export async function startOutageProxy(target: () => string): Promise<OutageProxy> {
  let upstreamAgent = new Agent({ keepAlive: true });
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  const forward = (incoming: IncomingMessage, response: ServerResponse) => {
    if (draining) {
      incoming.socket.destroy();
      return;
    }
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) onIdle?.();
    });
    const upstream = request(
      new URL(incoming.url ?? '/', target()),
      { method: incoming.method, headers: incoming.headers, agent: upstreamAgent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    // The service dropped the connection: so does the proxy, and the client sees what it would have seen.
    upstream.once('error', () => incoming.socket.destroy());
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    async drain() {
      draining = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      onIdle = undefined;
      // Idle keep-alive connections to the service that is about to stop.
      upstreamAgent.destroy();
      upstreamAgent = new Agent({ keepAlive: true });
    },
    resume() {
      draining = false;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstreamAgent.destroy();
    },
  };
}
