import { createServer, type AddressInfo } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/**
 * A port that is free on loopback right now, for a server we cannot ask to pick one itself (DynamoDB Local).
 * Another process may take it before ours binds it: callers retry on "address in use".
 */
export async function findFreeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
