// A loopback stand-in for the Lambda Runtime API that serves one invocation at a time and notes when its response
// arrives, so a cold start (spawn → first label posted) is measured the same way for both custom runtimes.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const PREFIX = '/2018-06-01/runtime';
const DEADLINE_MS = 60_000;

export async function startRuntimeApiStub() {
  let invocation = null;
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.method === 'GET' && request.url === `${PREFIX}/invocation/next`) {
      // A runtime asking again after its answer waits here until it is stopped, as it would in Lambda.
      if (!invocation || invocation.sent) return;
      invocation.sent = true;
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + DEADLINE_MS),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:000000000000:function:classifier-bench',
      });
      response.end(invocation.event);
      return;
    }
    response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
    const current = invocation;
    if (request.url === `${PREFIX}/invocation/${current?.requestId}/response`) {
      current.resolve({ respondedAt: performance.now(), body });
    } else if (request.method === 'POST') {
      current?.reject(new Error(`${request.url}: ${body}`));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    address: `127.0.0.1:${server.address().port}`,
    /** Queues the event for the next GET …/invocation/next; resolves when its response is posted. */
    invoke(event) {
      return new Promise((resolve, reject) => {
        invocation = { event, requestId: randomUUID(), sent: false, resolve, reject };
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
