import { ServiceUnavailableError, UnauthenticatedError } from '@app/errors';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it, vi } from 'vitest';
import { JwtAuthGuard } from './jwt-auth.guard.js';

// Nothing listens there: a test that reached the JWKS would fail.
const config = { jwksUrl: 'http://127.0.0.1:9/jwks.json', issuer: 'https://issuer.test/', audience: 'udagram' };

function guardWithPublicFlag(isPublic: boolean | undefined) {
  const reflector = new Reflector();
  vi.spyOn(reflector, 'getAllAndOverride').mockReturnValue(isPublic);
  return new JwtAuthGuard(reflector, config);
}

const context = { getHandler: () => undefined, getClass: () => undefined } as unknown as ExecutionContext;

/** An HTTP request's context, as Nest gives it to a guard. */
function httpContext(headers: Record<string, string>): ExecutionContext {
  const request = { headers, query: {}, body: {} };
  return {
    ...context,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ExecutionContext;
}

describe('JwtAuthGuard', () => {
  it('lets a @Public() route through without looking for a token', () => {
    expect(guardWithPublicFlag(true).canActivate(context)).toBe(true);
  });

  it('builds the JWT strategy for a route that needs a token, which refuses a request without one', async () => {
    const guard = guardWithPublicFlag(false);

    await expect(guard.canActivate(httpContext({}))).rejects.toThrow(
      new UnauthenticatedError('A bearer token is required'),
    );
    await expect(guard.canActivate(httpContext({ authorization: 'Bearer not.a.jwt' }))).rejects.toThrow(
      new UnauthenticatedError('The bearer token is invalid'),
    );
  });

  it('returns the authenticated user', () => {
    expect(guardWithPublicFlag(false).handleRequest(null, { userId: 'alice' }, undefined)).toEqual({ userId: 'alice' });
  });

  it('refuses a request with no token, saying a token is required', () => {
    const handle = () => guardWithPublicFlag(false).handleRequest(null, false, new Error('No auth token'));

    expect(handle).toThrow(new UnauthenticatedError('A bearer token is required'));
  });

  it('says when the token has expired', () => {
    const expired = Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' });

    expect(() => guardWithPublicFlag(false).handleRequest(null, false, expired)).toThrow('The token has expired');
  });

  it('answers 503 (not 401, never a pass) when the JWKS cannot be fetched', () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED'), { isEndpointUnavailable: true });

    expect(() => guardWithPublicFlag(false).handleRequest(null, false, unreachable)).toThrow(ServiceUnavailableError);
  });

  it('rethrows a strategy error as it is, and refuses a failure that is not an Error (never a pass)', () => {
    const failure = new Error('strategy failed');

    expect(() => guardWithPublicFlag(false).handleRequest(failure, { userId: 'alice' }, undefined)).toThrow(failure);
    expect(() => guardWithPublicFlag(false).handleRequest('bad token', { userId: 'alice' }, undefined)).toThrow(
      UnauthenticatedError,
    );
  });
});
