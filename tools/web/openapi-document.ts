import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../apps/api/src/app.module.js';
import { createOpenApiDocument } from '../../apps/api/src/swagger.js';

/**
 * Settings that pass the API's configuration validation. Nothing is contacted: the application is created (its
 * routes scanned) but never initialised nor listening, so the document needs no cloud and no network.
 */
const PLACEHOLDER_ENVIRONMENT: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
  JWT_ISSUER: 'http://127.0.0.1:9/',
  JWT_AUDIENCE: 'udagram-api',
  IMAGES_BUCKET: 'udagram-images',
};

/** Where the web client keeps its copy of the document (relative to the repository root) to generate types from. */
export const WEB_OPENAPI_DOCUMENT_PATH = 'apps/web/src/api/openapi.json';

/** What a deployment's document says about sign-in: its identity provider (e.g. the Auth0 tenant) and clients. */
export interface SignInEnvironment {
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  SWAGGER_UI_CLIENT_ID?: string;
}

/**
 * The API's OpenAPI document, as Swagger serves it at /docs-json, made offline. The web client's copy uses the
 * placeholders; a deployment passes its own sign-in settings, so the security scheme points at its Auth0 tenant.
 */
export async function createOfflineOpenApiDocument(signIn: SignInEnvironment = {}): Promise<OpenAPIObject> {
  const environment: Record<string, string> = { ...PLACEHOLDER_ENVIRONMENT, ...signIn };
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    try {
      return createOpenApiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The document as the web client keeps it (apps/web/src/api/openapi.json): stable, diff-friendly JSON. */
export function formatOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
