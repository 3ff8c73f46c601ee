import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The request body, or `undefined` when it is larger than `limitBytes`. The rest of an oversized body is still read
 * (and dropped) so that the client, still sending, can read the error answer.
 */
export async function readBody(
  request: IncomingMessage,
  limitBytes = Number.POSITIVE_INFINITY,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  return size > limitBytes ? undefined : Buffer.concat(chunks);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json' },
): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/**
 * An error as AWS's JSON protocols answer it: the SDK takes the exception's name from `x-amzn-ErrorType` and its
 * fields (`message` or `Message`, as the service's model spells it, and any others) from the JSON body.
 */
export function sendAwsError(
  response: ServerResponse,
  status: number,
  errorType: string,
  fields: Record<string, string>,
): void {
  sendJson(response, status, fields, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType });
}
