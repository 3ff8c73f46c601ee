import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LOOPBACK } from './free-port.js';
import { startOutageProxy, type OutageProxy } from './outage-proxy.js';

interface Answer {
  status: number;
  body: string;
  header: string | undefined;
}

/** A service that echoes what it got, after `delayMs` when the path says so (`/slow`). */
async function startEchoService(name: string): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const answer = () => {
        response.writeHead(201, { 'x-service': name });
        response.end(`${name} ${incoming.method} ${incoming.url} ${body}`);
      };
      if (incoming.url === '/slow') setTimeout(answer, 300);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return { endpoint: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`, server };
}

function send(endpoint: string, path: string, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, endpoint), { method: 'POST', agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: text, header: response.headers['x-service'] as string }),
      );
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

describe('startOutageProxy', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const first = await startEchoService('first');
    const second = await startEchoService('second');
    let target = first.endpoint;
    const proxy: OutageProxy = await startOutageProxy(() => target);
    cleanups.push(
      async () => void (await new Promise((resolve) => first.server.close(resolve))),
      async () => void (await new Promise((resolve) => second.server.close(resolve))),
      () => proxy.close(),
    );
    return { proxy, switchTo: (endpoint: string) => (target = endpoint), second };
  }

  it('passes a request and its answer through unchanged', async () => {
    const { proxy } = await setUp();

    await expect(send(proxy.endpoint, '/tables?limit=1', '{"a":1}')).resolves.toEqual({
      status: 201,
      body: 'first POST /tables?limit=1 {"a":1}',
      header: 'first',
    });
  });

  it('drains: answers the requests in flight, drops new ones, and resolves only once the last is answered', async () => {
    const { proxy } = await setUp();
    const inFlight = send(proxy.endpoint, '/slow', 'write');
    await new Promise((resolve) => setTimeout(resolve, 50));
    let drained = false;

    const draining = proxy.drain().then(() => (drained = true));

    await expect(send(proxy.endpoint, '/fast')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(drained).toBe(false);
    await expect(inFlight).resolves.toMatchObject({ status: 201, body: 'first POST /slow write' });
    await draining;
    expect(drained).toBe(true);
  });

  it('forwards again after resume(), to where the target then points', async () => {
    const { proxy, switchTo, second } = await setUp();
    await proxy.drain();
    switchTo(second.endpoint);

    proxy.resume();

    await expect(send(proxy.endpoint, '/after')).resolves.toMatchObject({
      body: 'second POST /after ',
      header: 'second',
    });
  });
});
