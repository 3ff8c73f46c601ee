import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Lambda's Invoke operation: `POST /2015-03-31/functions/<name>/invocations`. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations(\?|$)/;

export interface InvokeProxy {
  /** For the API's LAMBDA_ENDPOINT. */
  endpoint: string;
  /** Invocations seen so far. */
  invocations(): number;
  stop(): Promise<void>;
}

/**
 * A loopback proxy in front of the Lambda emulator's Invoke API that counts invocations and calls `beforeInvoke`
 * with each one's number before forwarding it, so that a fault injected there (the emulator draws injected faults
 * in order, one per invocation it admits) lands on that invocation rather than piling up.
 */
export async function startInvokeProxy(
  target: string,
  beforeInvoke: (invocation: number) => void,
): Promise<InvokeProxy> {
  let invocations = 0;
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'POST' && INVOKE_PATH.test(incoming.url ?? '')) beforeInvoke(++invocations);
    const upstream = forward(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    // A caller that gives up (its own timeout) abandons the invocation upstream too.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) upstream.destroy();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations: () => invocations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
