import { afterEach, describe, expect, it } from 'vitest';
import { serveOnLoopback, type LoopbackFileServer } from './loopback-file-server.js';

describe('serveOnLoopback', () => {
  let server: LoopbackFileServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the bytes with their content type at a loopback URL', async () => {
    const body = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    server = await serveOnLoopback('squirrel.jpg', body, 'image/jpeg');

    const response = await fetch(server.url);

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/squirrel\.jpg$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
  });

  it('answers 404 for any other path', async () => {
    server = await serveOnLoopback('squirrel.jpg', Buffer.from('x'), 'image/jpeg');

    const response = await fetch(new URL('/other.jpg', server.url));

    expect(response.status).toBe(404);
  });
});
