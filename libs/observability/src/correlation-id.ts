import { randomUUID } from 'node:crypto';

/** The header a caller may send to name its request (and the image it creates) in every log line. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** ≤ 128 characters of [A-Za-z0-9._:-]: safe in a log line, a DynamoDB attribute and the classifier's payload. */
export function isCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value);
}

/**
 * A request's correlation id: the caller's `x-correlation-id` when valid, else API Gateway's request id, else a
 * random UUID (the local server has no gateway). An HTTP API's request id is base64 (`JKJaXmPLvHcESHA=`): written
 * in base64url without padding (`JKJaXmPLvHcESHA`), so it fits the charset and still finds the gateway's own logs.
 */
export function correlationIdFor(header: unknown, gatewayRequestId: unknown): string {
  if (isCorrelationId(header)) return header;
  if (typeof gatewayRequestId === 'string') {
    const urlSafe = gatewayRequestId.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    if (isCorrelationId(urlSafe)) return urlSafe;
  }
  return randomUUID();
}
