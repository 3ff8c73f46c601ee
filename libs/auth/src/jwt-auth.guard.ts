import { ServiceUnavailableError, UnauthenticatedError } from '@app/errors';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedUser } from './authenticated-user.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';

/**
 * The application's one guard (registered as APP_GUARD): every route needs a valid bearer token unless it is
 * marked @Public(). A JWKS that cannot be fetched is a 503, never a pass.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic === true ? true : super.canActivate(context);
  }

  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    const failure = error ?? info;
    if (isJwksUnavailable(failure)) {
      throw new ServiceUnavailableError('The identity provider’s signing keys cannot be fetched; try again later', {
        cause: failure,
      });
    }
    if (error instanceof Error) throw error;
    if (error !== null && error !== undefined)
      throw new UnauthenticatedError(describeRejection(error), { cause: error });
    if (user === false || user === null || user === undefined) {
      throw new UnauthenticatedError(describeRejection(info), { cause: info });
    }
    return user;
  }
}

function isJwksUnavailable(failure: unknown): boolean {
  return (
    typeof failure === 'object' &&
    failure !== null &&
    (failure as { isEndpointUnavailable?: unknown }).isEndpointUnavailable === true
  );
}

/** Says why without echoing the token. */
function describeRejection(info: unknown): string {
  if (info instanceof Error) {
    if (info.message === 'No auth token') return 'A bearer token is required';
    if (info.name === 'TokenExpiredError') return 'The token has expired';
    if (info.name === 'NotBeforeError') return 'The token is not valid yet';
  }
  return 'The bearer token is invalid';
}
