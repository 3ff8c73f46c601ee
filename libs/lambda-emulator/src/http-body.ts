import type { IncomingMessage } from 'node:http';

/**
 * The request body, or `undefined` when it is larger than `limitBytes`. The rest of an oversized body is still read
 * (and dropped) so that the client, still sending, can read the error answer.
 */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  return size > limitBytes ? undefined : Buffer.concat(chunks);
}
