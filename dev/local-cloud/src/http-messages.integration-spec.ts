import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody, sendAwsError, sendJson } from './http-messages.js';

describe('emulator HTTP messages', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  async function serve(
    handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  ): Promise<string> {
    // A handler that throws fails the test through the client's answer; the catch keeps the process up meanwhile.
    server = createServer((request, response) => void handler(request, response).catch(() => response.destroy()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('reads a body within the limit and answers JSON with its length', async () => {
    const url = await serve(async (request, response) =>
      sendJson(response, 200, { echoed: (await readBody(request, 16))?.toString() }),
    );

    const response = await fetch(url, { method: 'POST', body: 'hello' });

    expect(response.headers.get('content-length')).toBe('18');
    await expect(response.json()).resolves.toEqual({ echoed: 'hello' });
  });

  it('reports an oversized body as undefined and still lets the client read the answer', async () => {
    const url = await serve(async (request, response) => {
      const body = await readBody(request, 4);
      sendAwsError(response, 413, 'RequestTooLargeException', { message: body === undefined ? 'too large' : 'fits' });
    });

    const response = await fetch(url, { method: 'POST', body: 'x'.repeat(100_000) });

    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    await expect(response.json()).resolves.toEqual({ message: 'too large' });
  });
});
