import { readBody, sendAwsError as sendJsonError } from '@dev/local-cloud';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { functionArn, functionNameOf } from './function-arn.js';
import type { FunctionPool } from './function-pool.js';
import type { InjectedFault } from './lambda-function-definition.js';
import { MAX_PAYLOAD_BYTES } from './payload-limits.js';

const INVOKE_ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Not an AWS operation: lets tests in another process inject faults (`{"fault":"crash","count":2}`). */
const FAULTS_ROUTE = /^\/_emulator\/functions\/([^/]+)\/faults$/;
const FAULTS = new Set(['crash', 'timeout', 'throttle']);
const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

type Pools = ReadonlyMap<string, FunctionPool>;

/** The Lambda Invoke operation (`POST /2015-03-31/functions/{name}/invocations`), as `LambdaClient` calls it. */
export function invokeApi(pools: Pools): RequestListener {
  return (request, response) => {
    invoke(pools, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendAwsError(response, 500, 'ServiceException', { Message: String(error) });
    });
  };
}

async function invoke(pools: Pools, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://lambda').pathname;
  const route = request.method === 'POST' ? INVOKE_ROUTE.exec(path) : null;
  const payload = await readBody(request, MAX_PAYLOAD_BYTES);
  const faultsRoute = request.method === 'POST' ? FAULTS_ROUTE.exec(path) : null;
  if (faultsRoute) return injectFaults(pools.get(decodeURIComponent(faultsRoute[1]!)), payload, response);
  if (!route) {
    const message = `The emulator only serves Invoke, not ${request.method} ${path}`;
    return sendAwsError(response, 404, 'UnknownOperationException', { message });
  }
  if (!payload) {
    const message = `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`;
    return sendAwsError(response, 413, 'RequestTooLargeException', { message });
  }
  const name = functionNameOf(decodeURIComponent(route[1]));
  const pool = pools.get(name);
  if (!pool) {
    return sendAwsError(response, 404, 'ResourceNotFoundException', {
      Message: `Function not found: ${functionArn(name)}`,
    });
  }

  const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (typeof invocationType !== 'string' || !INVOCATION_TYPES.has(invocationType)) {
    const message = `Unsupported invocation type: ${invocationType}`;
    return sendAwsError(response, 400, 'InvalidParameterValueException', { message });
  }
  if (invocationType === 'DryRun') return void response.writeHead(204).end();
  if (payload.length > 0 && !isJson(payload)) {
    const message = 'Could not parse request body into json';
    return sendAwsError(response, 400, 'InvalidRequestContentException', { message });
  }

  const submission = pool.submit(payload.length > 0 ? payload : Buffer.from('{}'));
  if (submission.throttled) {
    return sendAwsError(response, 429, 'TooManyRequestsException', {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      message: 'Rate Exceeded.',
    });
  }
  // An Event invocation runs on in the background; its outcome is only logged (Lambda would retry it; we do not).
  if (invocationType === 'Event') {
    return void response.writeHead(202, { 'x-amzn-RequestId': submission.requestId }).end();
  }

  const result = await submission.result;
  response
    .writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': result.payload.length,
      'x-amzn-RequestId': submission.requestId,
      'X-Amz-Executed-Version': '$LATEST',
      ...(result.functionError ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
    })
    .end(result.payload);
}

function injectFaults(pool: FunctionPool | undefined, payload: Buffer | undefined, response: ServerResponse): void {
  if (!pool) return sendAwsError(response, 404, 'ResourceNotFoundException', { Message: 'Function not found' });
  let request: { fault?: unknown; count?: unknown } = {};
  try {
    request = JSON.parse(payload?.toString() ?? '{}');
  } catch {
    // answered below as invalid
  }
  const { fault, count } = request;
  if (typeof fault !== 'string' || !FAULTS.has(fault) || !Number.isInteger(count) || (count as number) < 1) {
    const message = 'Expected {"fault": "crash" | "timeout" | "throttle", "count": <positive integer>}';
    return sendAwsError(response, 400, 'InvalidParameterValueException', { message });
  }
  pool.injectFaults(fault as InjectedFault, count as number);
  response.writeHead(204).end();
}

/** Lambda's REST-JSON errors also say whose fault it is (`Type`). */
function sendAwsError(
  response: ServerResponse,
  status: number,
  errorType: string,
  fields: Record<string, string>,
): void {
  sendJsonError(response, status, errorType, { Type: status >= 500 ? 'Service' : 'User', ...fields });
}

function isJson(payload: Buffer): boolean {
  try {
    JSON.parse(payload.toString());
    return true;
  } catch {
    return false;
  }
}
