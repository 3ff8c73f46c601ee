import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInvokeProxy, type InvokeProxy } from './invoke-proxy.js';

describe('startInvokeProxy', () => {
  const events: string[] = [];
  let target: Server;
  let proxy: InvokeProxy;

  beforeAll(async () => {
    target = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        events.push(`target ${request.method} ${request.url} ${body}`);
        response.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' });
        response.end(JSON.stringify({ echoed: body }));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    proxy = await startInvokeProxy(targetUrl, (invocation) => events.push(`before invocation ${invocation}`));
  });

  afterAll(async () => {
    await proxy.stop();
    await new Promise((resolve) => target.close(resolve));
  });

  it('numbers each invocation before forwarding it, and passes the answer back untouched', async () => {
    const first = await fetch(`${proxy.endpoint}/2015-03-31/functions/classifier/invocations`, {
      method: 'POST',
      body: '{"n":1}',
    });
    const second = await fetch(`${proxy.endpoint}/2015-03-31/functions/classifier/invocations`, {
      method: 'POST',
      body: '{"n":2}',
    });

    await expect(first.json()).resolves.toEqual({ echoed: '{"n":1}' });
    expect(first.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(second.status).toBe(200);
    expect(events.splice(0)).toEqual([
      'before invocation 1',
      'target POST /2015-03-31/functions/classifier/invocations {"n":1}',
      'before invocation 2',
      'target POST /2015-03-31/functions/classifier/invocations {"n":2}',
    ]);
    expect(proxy.invocations()).toBe(2);
  });

  it('forwards other requests without counting them', async () => {
    const response = await fetch(`${proxy.endpoint}/2015-03-31/functions/classifier`, { method: 'GET' });

    expect(response.status).toBe(200);
    expect(events.splice(0)).toEqual(['target GET /2015-03-31/functions/classifier ']);
    expect(proxy.invocations()).toBe(2);
  });
});
