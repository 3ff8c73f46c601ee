import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsString, IsUrl, MinLength } from 'class-validator';

/** Auth0-style settings: where the signing keys are, and who must have issued the token for whom. */
class AuthEnvironment {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  JWKS_URL!: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER!: string;

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE!: string;
}

export const authConfig = registerAs('auth', () => {
  const environment = validateEnvironment(AuthEnvironment);
  return { jwksUrl: environment.JWKS_URL, issuer: environment.JWT_ISSUER, audience: environment.JWT_AUDIENCE };
});

export type AuthConfig = ReturnType<typeof authConfig>;
