import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig, type AuthConfig } from './auth.config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { JWT_STRATEGY } from './jwt-strategy-name.js';

/**
 * RS256 only, key chosen by `kid` from the JWKS (cached), issuer and audience checked. Not a provider: JwtAuthGuard
 * loads this module and builds the strategy on the first request that needs a token.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({
        jwksUri: config.jwksUrl,
        cache: true,
        cacheMaxAge: 10 * 60 * 1000,
        // An unknown kid refetches the JWKS; the rate limit stops forged kids from hammering the issuer.
        rateLimit: true,
        jwksRequestsPerMinute: 10,
        timeout: 5000,
      }),
      algorithms: ['RS256'],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  /** jsonwebtoken accepts a token with no `exp` (it would never expire): refuse it, as an access token must expire. */
  validate(payload: { sub?: unknown; exp?: unknown }): AuthenticatedUser | false {
    if (typeof payload.exp !== 'number') return false;
    return typeof payload.sub === 'string' && payload.sub.length > 0 ? { userId: payload.sub } : false;
  }
}
