import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { ApiConfig } from './api.config.js';

export const BEARER_SCHEME = 'bearer';
export const OAUTH2_SCHEME = 'oauth2';
const OIDC_SCOPES = { openid: 'Sign in (OpenID Connect).', profile: 'Your user name.' };

/** What Swagger UI's Authorize button needs: the identity provider (Auth0-style paths) and the API's audience. */
interface SignInSettings {
  issuer: string;
  audience: string;
  clientId: string;
}

function signInSettings(app: INestApplication): SignInSettings {
  const config = app.get(ConfigService);
  const { issuer, audience } = config.getOrThrow<{ issuer: string; audience: string }>('auth');
  return { issuer, audience, clientId: config.getOrThrow<ApiConfig>('api').swaggerUiClientId };
}

/** An endpoint of the identity provider: Auth0's paths, which the local provider serves too. */
function identityUrl(issuer: string, path: string): string {
  return new URL(path, issuer.endsWith('/') ? issuer : `${issuer}/`).href;
}

/**
 * The OpenAPI document. Writes accept a token two ways: the OAuth2 authorization-code flow with PKCE (Swagger UI's
 * Authorize button signs in at the identity provider, locally or Auth0 in AWS), or a bearer token pasted as is.
 */
export function createOpenApiDocument(app: INestApplication, tokenHint?: string): OpenAPIObject {
  const { issuer, audience, clientId } = signInSettings(app);
  const config = new DocumentBuilder()
    .setTitle('Udagram API')
    .setDescription(
      'Share photos in groups; every uploaded photo is labelled by a neural-network classifier.\n\n' +
        'Press **Authorize**, then sign in through `oauth2` (any user name on the local identity provider). Create a ' +
        'group, create an image in it, upload its photo with `PUT /images/{imageId}/photo`, then `GET /images/{imageId}` ' +
        'until it is `CLASSIFIED` to see its label.',
    )
    .setVersion('1.0')
    // Relative: the API that serves the document (locally /docs-json) is the one it describes.
    .addServer('/', 'This API')
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          `Sign in at the identity provider (authorization code + PKCE, client \`${clientId}\`, audience \`${audience}\`). ` +
          `Locally that is the dev OpenID provider started by \`npm start\`, whose ` +
          'sign-in page takes any user name and no password; in AWS it is the Auth0 tenant, with your Auth0 account.',
        flows: {
          authorizationCode: {
            authorizationUrl: identityUrl(issuer, 'authorize'),
            tokenUrl: identityUrl(issuer, 'oauth/token'),
            scopes: OIDC_SCOPES,
          },
        },
      },
      OAUTH2_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          `An RS256 access token for audience \`${audience}\` issued by \`${issuer}\`, pasted as is. ` +
          (tokenHint === undefined
            ? 'Scripts get one from the identity provider (locally `GET /token?sub=<user name>` on the dev provider).'
            : `Scripts get one with \`${tokenHint}\`.`),
      },
      BEARER_SCHEME,
    )
    .build();
  return acceptOAuth2WhereBearerIs(SwaggerModule.createDocument(app, config));
}

/**
 * Every operation that takes a bearer token takes the OAuth2 sign-in's token too (the same JWT); every other one says
 * it is public (an empty requirement list), so that no reader, or linter, has to guess.
 */
function acceptOAuth2WhereBearerIs(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch]) {
      if (operation === undefined) continue;
      const needsToken = operation.security?.some((requirement) => BEARER_SCHEME in requirement) ?? false;
      operation.security = needsToken ? [{ [OAUTH2_SCHEME]: Object.keys(OIDC_SCOPES) }, { [BEARER_SCHEME]: [] }] : [];
    }
  }
  return document;
}

/** Swagger UI at /docs/ and the document at /docs-json; its Authorize button runs code + PKCE. */
export function setupSwagger(app: INestApplication, tokenHint?: string): void {
  const { audience, clientId } = signInSettings(app);
  // Swagger UI derives its OAuth2 redirect URL from the page's folder: /docs/ gives /docs/oauth2-redirect.html.
  app.use('/docs', (request: Request, response: Response, next: NextFunction) => {
    if (request.method === 'GET' && request.originalUrl.split('?')[0] === '/docs') response.redirect(301, '/docs/');
    else next();
  });
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, tokenHint), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      initOAuth: {
        clientId,
        usePkceWithAuthorizationCodeGrant: true,
        scopes: Object.keys(OIDC_SCOPES),
        // Auth0's way to ask for an access token for the API (a JWT with this `aud`); the local provider takes it too.
        additionalQueryStringParams: { audience },
      },
    },
  });
}
