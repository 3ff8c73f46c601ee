import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { DEV_SIGNING_ALGORITHM, type DevSigningKey } from './dev-signing-key.js';

export const DEV_AUDIENCE = 'udagram-api';

/** Changes to a minted token, so that tests can make the bad ones the API must refuse. */
export interface TokenOverrides {
  /** Seconds from now (negative: already expired) or a jose time span such as '1h' or '-5m'. Default 1 hour. */
  expiresIn?: string | number;
  /** Seconds from now, a jose time span, or a Date. No `nbf` claim when absent. */
  notBefore?: string | number | Date;
  issuer?: string;
  audience?: string | string[];
  /** The `kid` header, e.g. one the JWKS does not list. */
  kid?: string;
  /** More claims (e.g. `scope`); the standard ones above take precedence. */
  claims?: JWTPayload;
}

/**
 * A development stand-in for an identity provider such as Auth0: it signs RS256 access tokens with its own key,
 * which it publishes as a JWKS. The issuer is the base URL of the server that serves the JWKS and tokens.
 */
export class DevIdentityProvider {
  readonly tokenLifetimeSeconds = 3_600;

  constructor(
    private readonly key: DevSigningKey,
    readonly issuer: string,
    readonly audience: string = DEV_AUDIENCE,
  ) {}

  get kid(): string {
    return this.key.kid;
  }

  get jwksUrl(): string {
    return new URL('.well-known/jwks.json', this.issuer).href;
  }

  get tokenUrl(): string {
    return new URL('token', this.issuer).href;
  }

  /** A copy: security tests sign their own bad tokens with it. */
  get privateJwk(): JWK {
    return structuredClone(this.key.privateJwk);
  }

  get publicJwk(): JWK {
    return structuredClone(this.key.publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** An access token for user `sub`, valid for this provider's issuer and audience unless overridden. */
  async mintToken(sub: string, overrides: TokenOverrides = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const token = new SignJWT({ ...overrides.claims })
      .setProtectedHeader({ alg: DEV_SIGNING_ALGORITHM, typ: 'JWT', kid: overrides.kid ?? this.kid })
      .setSubject(sub)
      .setIssuer(overrides.issuer ?? this.issuer)
      .setAudience(overrides.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(toClaimTime(overrides.expiresIn ?? this.tokenLifetimeSeconds, now));
    if (overrides.notBefore !== undefined) token.setNotBefore(toClaimTime(overrides.notBefore, now));
    return token.sign(this.key.privateJwk);
  }
}

/** Numbers are seconds from now here (jose would take them as absolute timestamps); the rest goes to jose. */
function toClaimTime(value: string | number | Date, now: number): string | number | Date {
  return typeof value === 'number' ? now + value : value;
}
