import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { correlationScope } from './correlation-scope.middleware.js';
import { currentLogKeys } from './log-context.js';

function run(middleware: ReturnType<typeof correlationScope>, headers: Record<string, string> = {}) {
  const request = { headers } as unknown as Request & { correlationId?: string };
  const responseHeaders: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (responseHeaders[name] = value),
  } as unknown as Response;
  let keysInside: Record<string, unknown> = {};
  const next: NextFunction = () => {
    keysInside = currentLogKeys();
  };
  middleware(request, response, next);
  return { request, responseHeaders, keysInside };
}

describe('correlationScope', () => {
  it('keeps a valid x-correlation-id: on the request, in the response header and on every line of the request', () => {
    const { request, responseHeaders, keysInside } = run(correlationScope(), { 'x-correlation-id': 'checkout-42' });

    expect(request.correlationId).toBe('checkout-42');
    expect(responseHeaders).toEqual({ 'x-correlation-id': 'checkout-42' });
    expect(keysInside).toEqual({ service: 'udagram-api', correlationId: 'checkout-42' });
  });

  it('in Lambda, takes API Gateway’s request id and puts the invocation’s keys on the request’s lines', () => {
    const invocation = () => ({
      gatewayRequestId: 'JKJaXmPLvHcESHA=',
      context: { awsRequestId: 'lambda-req-1', functionName: 'udagram-api' },
    });
    const middleware = correlationScope(invocation);

    const first = run(middleware, { 'x-correlation-id': 'has spaces' });
    const second = run(middleware);

    expect(first.request.correlationId).toBe('JKJaXmPLvHcESHA');
    expect(first.keysInside).toMatchObject({ correlationId: 'JKJaXmPLvHcESHA', function_request_id: 'lambda-req-1' });
    expect(first.keysInside.cold_start).toBe(true);
    expect(second.keysInside.cold_start).toBe(false);
  });

  it('gives a request without either a random UUID', () => {
    expect(run(correlationScope()).request.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
