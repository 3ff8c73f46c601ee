import { ServiceUnavailableError, UnauthenticatedError } from '@app/errors';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it, vi } from 'vitest';
import { JwtAuthGuard } from './jwt-auth.guard.js';

function guardWithPublicFlag(isPublic: boolean | undefined) {
  const reflector = new Reflector();
  vi.spyOn(reflector, 'getAllAndOverride').mockReturnValue(isPublic);
  return new JwtAuthGuard(reflector);
}

const context = { getHandler: () => undefined, getClass: () => undefined } as unknown as ExecutionContext;

describe('JwtAuthGuard', () => {
  it('lets a @Public() route through without looking for a token', () => {
    expect(guardWithPublicFlag(true).canActivate(context)).toBe(true);
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
