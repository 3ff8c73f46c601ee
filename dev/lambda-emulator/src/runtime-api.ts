import { readBody } from '@dev/local-cloud';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  functionErrorResult,
  runtimeErrorResult,
  successResult,
  type Invocation,
  type InvocationResult,
} from './invocation.js';
import { MAX_PAYLOAD_BYTES } from './payload-limits.js';

const PREFIX = '/2018-06-01/runtime';
const INVOCATION_ANSWER_ROUTE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';

export interface RuntimeApiEvents {
  /** The runtime asked for its first event: its init is over. */
  initialized(): void;
  /** `invocation` is being handed to the runtime. */
  delivered(invocation: Invocation): void;
  /** The runtime posted `/init/error`; the pending invocation, if any, is already answered with its error. */
  initFailed(): void;
}

interface PendingInvocation {
  invocation: Invocation;
  delivered: boolean;
  resolve(result: InvocationResult): void;
}

/** The Runtime API of one runtime process: hands it one invocation at a time and collects its answer. */
export class RuntimeApi {
  private readonly server = createServer((request, response) => {
    this.route(request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, { errorType: 'Runtime.ApiError', errorMessage: String(error) });
    });
  });
  private pending?: PendingInvocation;
  private waitingForNext?: ServerResponse;
  private initialized = false;

  constructor(
    private readonly functionArn: string,
    private readonly timeoutMs: number,
    private readonly events: RuntimeApiEvents,
  ) {}

  /** Listens on an ephemeral loopback port; resolves to the `host:port` for `AWS_LAMBDA_RUNTIME_API`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  get current(): Invocation | undefined {
    return this.pending?.invocation;
  }

  /** Queues `invocation` for the runtime's next `/invocation/next`; resolves with its answer. */
  assign(invocation: Invocation): Promise<InvocationResult> {
    if (this.pending) throw new Error(`runtime is busy with ${this.pending.invocation.requestId}`);
    return new Promise((resolve) => {
      this.pending = { invocation, delivered: false, resolve };
      this.deliverIfWaiting();
    });
  }

  /** Answers the pending invocation (no-op without one); a later post of the runtime for it gets 400. */
  settle(result: InvocationResult): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(result);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://runtime-api').pathname;
    if (request.method === 'GET' && path === `${PREFIX}/invocation/next`) return this.next(response);

    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    const errorTypeHeader = request.headers[ERROR_TYPE_HEADER] as string | undefined;
    if (request.method === 'POST' && path === `${PREFIX}/init/error`)
      return this.initError(body, errorTypeHeader, response);

    const match = request.method === 'POST' ? INVOCATION_ANSWER_ROUTE.exec(path) : null;
    if (!match)
      return reply(response, 404, { errorType: 'NotFound', errorMessage: `No route ${request.method} ${path}` });
    const [, requestId, kind] = match;
    if (!this.pending?.delivered || this.pending.invocation.requestId !== requestId) {
      return reply(response, 400, { errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId}` });
    }
    if (!body) {
      const errorMessage = `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`;
      this.settle(functionErrorResult('Function.ResponseSizeTooLarge', errorMessage));
      return reply(response, 413, { errorType: 'RequestEntityTooLarge', errorMessage });
    }
    this.settle(
      kind === 'response' ? successResult(body) : runtimeErrorResult(body, errorTypeHeader, 'Runtime.Unknown'),
    );
    reply(response, 202, { status: 'OK' });
  }

  private next(response: ServerResponse): void {
    if (!this.initialized) {
      this.initialized = true;
      this.events.initialized();
    }
    this.waitingForNext = response;
    response.once('close', () => {
      if (this.waitingForNext === response) this.waitingForNext = undefined;
    });
    this.deliverIfWaiting();
  }

  private deliverIfWaiting(): void {
    const pending = this.pending;
    const response = this.waitingForNext;
    if (!pending || pending.delivered || !response) return;
    this.waitingForNext = undefined;
    pending.delivered = true;
    // Told before the event is written: an injected crash or timeout then takes effect before the runtime can answer.
    this.events.delivered(pending.invocation);
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': pending.invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(Date.now() + this.timeoutMs),
      'Lambda-Runtime-Invoked-Function-Arn': this.functionArn,
      'Lambda-Runtime-Trace-Id': traceId(),
    });
    response.end(pending.invocation.payload);
  }

  private initError(body: Buffer | undefined, errorTypeHeader: string | undefined, response: ServerResponse): void {
    if (this.initialized) {
      const errorMessage = 'init/error after the runtime asked for an event';
      return reply(response, 403, { errorType: 'InvalidStateTransition', errorMessage });
    }
    reply(response, 202, { status: 'OK' });
    this.settle(
      runtimeErrorResult(body ?? Buffer.from('init error body too large'), errorTypeHeader, 'Runtime.InitError'),
    );
    this.events.initFailed();
  }
}

function reply(response: ServerResponse, status: number, body: Record<string, string>): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

// The X-Ray header format; nothing reads it here, but runtimes may log it.
function traceId(): string {
  const epochSeconds = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epochSeconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
