import { ServiceUnavailableError, UnauthenticatedError } from '@app/errors';
import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { authConfig, type AuthConfig } from './auth.config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { JWT_STRATEGY } from './jwt-strategy-name.js';
import type { JwtStrategy } from './jwt.strategy.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';

/**
 * The application's one guard (registered as APP_GUARD): every route needs a valid bearer token unless it is
 * marked @Public(). A JWKS that cannot be fetched is a 503, never a pass.
 *
 * The JWT strategy (passport-jwt, jwks-rsa, jsonwebtoken) is loaded and built on the first request that needs a
 * token, not at boot: a cold start answering a public read pays nothing for it (bench/COLD-START.md).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  private strategy: Promise<JwtStrategy> | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic === true ? true : this.authenticate(context);
  }

  private async authenticate(context: ExecutionContext): Promise<boolean> {
    const strategy = await this.loadStrategy();
    // Passport keeps strategies by name in one registry per process: this application's strategy (its JWKS client
    // and cache) is the one the check below looks up, even if another application in the process registered its own.
    passport.use(JWT_STRATEGY, strategy);
    return (await super.canActivate(context)) as boolean;
  }

  private loadStrategy(): Promise<JwtStrategy> {
    if (this.strategy === undefined) {
      const loading = import('./jwt.strategy.js').then(({ JwtStrategy }) => new JwtStrategy(this.config));
      loading.catch(() => {
        if (this.strategy === loading) this.strategy = undefined;
      });
      this.strategy = loading;
    }
    return this.strategy;
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
