import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackFileServer {
  /** http://127.0.0.1:PORT/NAME */
  url: string;
  close: () => Promise<void>;
}

/** Serves one file's bytes at `/<name>` on 127.0.0.1 (an ephemeral port), for `imageUrl` events; anything else is 404. */
export async function serveOnLoopback(name: string, body: Buffer, contentType: string): Promise<LoopbackFileServer> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === `/${name}`) {
      response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length }).end(body);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
