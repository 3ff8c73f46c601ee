import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebRuntimeConfig, type WebServer } from './web-server.js';

const config: WebRuntimeConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  auth: { mode: 'dev', tokenUrl: 'http://127.0.0.1:4000/token' },
};

/** A raw request, so that paths such as `/../x` reach the server as written (fetch would normalise them). */
function get(url: string, rawPath: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const { hostname, port } = new URL(url);
      const outgoing = request({ hostname, port, path: rawPath, method }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

describe('startWebServer', () => {
  let parent: string;
  let root: string;
  let servers: WebServer[];

  beforeEach(async () => {
    // The served root, with a file beside it that must stay out of reach.
    parent = await mkdtemp(path.join(tmpdir(), 'udagram-web-'));
    root = path.join(parent, 'dist');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Udagram</title>');
    await writeFile(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(parent, 'secret.txt'), 'secret');
    servers = [];
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(parent, { recursive: true, force: true });
  });

  async function start(options: { root?: string; port?: number; fallbackToFreePort?: boolean } = {}) {
    const server = await startWebServer({ root, config, port: 0, ...options });
    servers.push(server);
    return server;
  }

  it('serves index.html at / and revalidates it on every load', async () => {
    const { url } = await start();

    const response = await get(url, '/');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>Udagram</title>');
  });

  it('lets browsers cache the content-hashed assets for good', async () => {
    const { url } = await start();

    const response = await get(url, '/assets/index-abc123.js');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves the runtime configuration at /config.json, never cached', async () => {
    const { url } = await start();

    const response = await get(url, '/config.json');

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toEqual(config);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])(
    'serves nothing outside its root (%s)',
    async (rawPath) => {
      const { url } = await start();

      const response = await get(url, rawPath);

      expect(response.status).toBe(404);
      expect(response.body).not.toContain('secret');
    },
  );

  it('answers 404 for a missing file and 405 for a write', async () => {
    const { url } = await start();

    await expect(get(url, '/nothing.js')).resolves.toMatchObject({ status: 404 });
    await expect(get(url, '/', 'POST')).resolves.toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
  });

  it('says how to build the app when it is not built', async () => {
    const { url } = await start({ root: path.join(root, 'missing') });

    const response = await get(url, '/');

    expect(response.status).toBe(503);
    expect(response.body).toContain('npm run build:web');
  });

  it('moves to a free port when asked to, if its port is taken', async () => {
    const taken = await start();
    const port = Number(new URL(taken.url).port);

    await expect(start({ port })).rejects.toThrow(/EADDRINUSE/);
    const moved = await start({ port, fallbackToFreePort: true });

    expect(moved.url).not.toBe(taken.url);
    await expect(get(moved.url, '/')).resolves.toMatchObject({ status: 200 });
  });
});
