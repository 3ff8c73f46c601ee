import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const LOOPBACK = '127.0.0.1';

/**
 * What the web app reads from /config.json at start (apps/web/src/config/runtime-config.ts validates it): one build
 * runs locally and in AWS, only this file differs.
 */
export interface WebRuntimeConfig {
  apiUrl: string;
  websocketUrl?: string;
  auth: { mode: 'dev'; tokenUrl: string } | { mode: 'oidc'; issuer: string; clientId: string; audience: string };
}

export interface WebServerOptions {
  /** The built app (apps/web/dist, or wherever a test built it). */
  root: string;
  config: WebRuntimeConfig;
  /** 0 for any free port. */
  port: number;
  /** When `port` is taken, listen on a free port instead of failing. */
  fallbackToFreePort?: boolean;
}

export interface WebServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  stop(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web app and its /config.json on loopback, as S3 + CloudFront serve them in AWS. Vite puts
 * content-hashed files under assets/, which may be cached for good; everything else is revalidated.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = path.resolve(options.root);
  const configBody = JSON.stringify(options.config);
  const server = createServer((request, response) => {
    answer(root, configBody, request, response).catch((error: Error) => {
      if (!response.headersSent) sendText(response, 500, `Internal error: ${error.message}`);
      else response.destroy(error);
    });
  });
  try {
    await listen(server, options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.fallbackToFreePort) throw error;
    await listen(server, 0);
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    async stop() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen(port, LOOPBACK, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

async function answer(root: string, configBody: string, request: IncomingMessage, response: ServerResponse) {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendText(response, 405, 'Method not allowed');
    return;
  }
  const { pathname } = new URL(request.url ?? '/', 'http://web.invalid');
  if (pathname === '/config.json') {
    send(response, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, configBody);
    return;
  }
  const file = resolveInside(root, pathname === '/' ? '/index.html' : pathname);
  if (file === undefined) {
    sendText(response, 404, 'Not found');
    return;
  }
  const body = await readRegularFile(file);
  if (body === undefined) {
    if (pathname === '/') sendText(response, 503, 'The web app is not built yet: run `npm run build:web`.');
    else sendText(response, 404, 'Not found');
    return;
  }
  const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
  send(
    response,
    200,
    {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    body,
  );
}

/** The file a URL path names under root, or undefined when it is malformed or would leave root. */
function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${decoded}`);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

async function readRegularFile(file: string): Promise<Buffer | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? readFile(file) : undefined;
}

function sendText(response: ServerResponse, status: number, text: string): void {
  send(response, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, text);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  response.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
