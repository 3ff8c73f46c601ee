// A Lambda custom runtime in plain Node (the emulator's test fixture): it speaks the Runtime API like
// classifier-cpp's bootstrap, and lets a spec make it fail on demand.
//
// Start-up, from env FAKE_RUNTIME_INIT: "ok" (default), "error" (posts /runtime/init/error, exits 1),
// "exit" (exits 2 without a word), "hang" (never asks for an event).
// Each event is a JSON object: {"action": "echo" | "fail" | "exit" | "hang", "sleepMs"?, "stderr"?,
// "exitCode"?, "errorType"?, "errorMessage"?, "padBytes"?}. "echo" answers with the event, the pid and the invocation
// headers (plus `padBytes` characters of padding).
import { request as httpRequest } from 'node:http';

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const base = '/2018-06-01/runtime';

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        host,
        port: Number(port),
        method,
        path: base + path,
        headers: payload ? { 'Content-Type': 'application/json' } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A pending promise alone does not keep Node alive; a timer does.
const hang = () => new Promise(() => setInterval(() => {}, 60_000));

async function handle(event, headers) {
  const requestId = headers['lambda-runtime-aws-request-id'];
  if (event.stderr) process.stderr.write(`${event.stderr}\n`);
  if (event.sleepMs) await sleep(event.sleepMs);
  switch (event.action ?? 'echo') {
    case 'fail':
      await call('POST', `/invocation/${requestId}/error`, {
        errorType: event.errorType ?? 'FakeError',
        errorMessage: event.errorMessage ?? 'the event asked for an error',
      });
      return;
    case 'exit':
      return process.exit(event.exitCode ?? 1);
    case 'hang':
      return hang();
    default:
      await call('POST', `/invocation/${requestId}/response`, {
        event,
        pid: process.pid,
        requestId,
        deadlineMs: Number(headers['lambda-runtime-deadline-ms']),
        functionArn: headers['lambda-runtime-invoked-function-arn'],
        traceId: headers['lambda-runtime-trace-id'],
        functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
        padding: 'x'.repeat(event.padBytes ?? 0),
      });
  }
}

async function main() {
  switch (process.env.FAKE_RUNTIME_INIT ?? 'ok') {
    case 'error':
      await call('POST', '/init/error', { errorType: 'FakeRuntime.InitError', errorMessage: 'init failed on purpose' });
      return process.exit(1);
    case 'exit':
      return process.exit(2);
    case 'hang':
      await hang();
  }
  process.stdout.write(`fake runtime ${process.pid} ready\n`);
  for (;;) {
    const next = await call('GET', '/invocation/next');
    await handle(JSON.parse(next.body), next.headers);
  }
}

// Losing the Runtime API (the emulator stopped) ends the runtime, as in Lambda.
main().catch((error) => {
  process.stderr.write(`fake runtime: ${error.message}\n`);
  process.exit(1);
});
