import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

class ApiEnvironment {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  /** Comma-separated origins allowed by CORS; `*` allows any (the default locally). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** The identity provider's client (application) for Swagger UI's sign-in: public, code + PKCE. */
  @IsOptional()
  @IsString()
  SWAGGER_UI_CLIENT_ID?: string;
}

export const apiConfig = registerAs('api', () => {
  const environment = validateEnvironment(ApiEnvironment);
  const origins = (environment.CORS_ORIGINS ?? '*')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  return {
    port: environment.PORT ?? 3000,
    corsOrigins: origins,
    swaggerUiClientId: environment.SWAGGER_UI_CLIENT_ID ?? 'udagram-swagger-ui',
  };
});

export type ApiConfig = ReturnType<typeof apiConfig>;
