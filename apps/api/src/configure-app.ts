import { isPhotoUpload, PHOTO_CONTENT_TYPES, PHOTO_UPLOAD_MAX_BYTES } from '@app/images';
import { correlationScope } from '@app/observability';
import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { ApiConfig } from './api.config.js';
import { currentInvocation } from './current-invocation.js';
import { refusePrototypeKeys } from './refuse-prototype-keys.js';

/** Our DTOs are flat; deeper bodies are refused before class-transformer recurses into them (it overflows the stack). */
export const MAX_JSON_DEPTH = 32;

/** The API answers JSON only: nothing in a response may load, run or be framed. */
const API_HEADERS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * Swagger UI (the local server's /docs) loads its own scripts, styles and fonts and uses inline styles and data:
 * images; no inline script. No upgrade-insecure-requests: the local server is plain http. Its Authorize button opens
 * the identity provider in a popup that comes back to /docs/oauth2-redirect.html (a script of its own) to hand the
 * code to its opener, which then fetches the token: so the page may connect to the identity provider, and keeps its
 * popup as opener across the provider's origin (COOP same-origin-allow-popups; the redirect page itself unsafe-none).
 */
function docsHeaders(
  identityProviderOrigin: string,
  crossOriginOpenerPolicy: 'same-origin-allow-popups' | 'unsafe-none',
): HelmetOptions {
  return {
    ...API_HEADERS,
    crossOriginOpenerPolicy: { policy: crossOriginOpenerPolicy },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", identityProviderOrigin],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  };
}

/** The imperative part of the set-up, shared by the local server, the Lambda handler and the e2e tests. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(ConfigService).getOrThrow<ApiConfig>('api');
  app.disable('x-powered-by');
  // First: every line the request logs carries its correlation id (and, in Lambda, the invocation's keys).
  app.use(correlationScope(currentInvocation));
  app.use(securityHeaders(originOf(app.get(ConfigService).get<{ issuer: string }>('auth')?.issuer)));
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    // PUT: the photo upload, for a Swagger UI served from another origin (the published document in AWS).
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Correlation-Id'],
    exposedHeaders: ['X-Correlation-Id'],
    maxAge: 600,
  });
  app.use(refuseNonJsonBodies);
  // Bodies here are small JSON documents; photos go straight to S3 through presigned URLs, or (up to 4 MiB) to the
  // one photo route, the only body the raw parser ever sees (refuseNonJsonBodies turned away the others).
  app.useBodyParser('json', { limit: '64kb' });
  app.useBodyParser('raw', { type: [...PHOTO_CONTENT_TYPES], limit: PHOTO_UPLOAD_MAX_BYTES });
  app.use(refuseDeepJson);
  app.use(refusePrototypeKeys);
  return app;
}

/**
 * The issuer's origin (an OpenID issuer is an https URL; the local one http on loopback), where Swagger UI fetches
 * its token; only 'self' for an app without sign-in or an issuer that is a bare name.
 */
function originOf(issuer: string | undefined): string {
  try {
    return new URL(issuer ?? '').origin;
  } catch {
    return "'self'";
  }
}

function securityHeaders(identityProviderOrigin: string): RequestHandler {
  const api = helmet(API_HEADERS);
  const docs = helmet(docsHeaders(identityProviderOrigin, 'same-origin-allow-popups'));
  const oauth2Redirect = helmet(docsHeaders(identityProviderOrigin, 'unsafe-none'));
  // Where swagger.ts mounts Swagger UI (and its document at /docs-json).
  return (request, response, next) => {
    if (request.path === '/docs/oauth2-redirect.html') return oauth2Redirect(request, response, next);
    return (request.path.startsWith('/docs') ? docs : api)(request, response, next);
  };
}

const PHOTO_TYPES_TEXT = PHOTO_CONTENT_TYPES.join(', ');
const PHOTO_TOO_LARGE = `The photo is larger than ${PHOTO_UPLOAD_MAX_BYTES} bytes (4 MiB): upload it to the presigned uploadUrl instead`;

/**
 * A body in any other type than JSON is a 415, not parsed: Nest would otherwise parse a form body (a CORS "simple"
 * request) and validate it like JSON. An empty body (`Content-Length: 0`, as fetch sends on a bare POST) is no body.
 * The one exception is the photo upload (`PUT /images/{imageId}/photo`), whose body is a JPEG, PNG or WebP file.
 */
function refuseNonJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const { 'content-length': length, 'transfer-encoding': transferEncoding } = request.headers;
  const hasBody = transferEncoding !== undefined || (length !== undefined && length !== '0');
  if (isPhotoUpload(request.method, request.path)) {
    if (hasBody && !request.is([...PHOTO_CONTENT_TYPES])) {
      next(
        new UnsupportedMediaTypeException(`The photo must be sent as one of ${PHOTO_TYPES_TEXT} (its Content-Type)`),
      );
    } else if (length !== undefined && Number(length) > PHOTO_UPLOAD_MAX_BYTES) {
      // Said before reading the body; a chunked body over the limit is stopped by the raw parser's own limit.
      next(new PayloadTooLargeException(PHOTO_TOO_LARGE));
    } else {
      next();
    }
    return;
  }
  if (hasBody && !request.is('application/json')) {
    next(new UnsupportedMediaTypeException('The request body must be JSON (Content-Type: application/json)'));
    return;
  }
  next();
}

function refuseDeepJson(request: Request, _response: Response, next: NextFunction): void {
  if (nestingDepthExceeds(request.body, MAX_JSON_DEPTH)) {
    next(new BadRequestException(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep`));
    return;
  }
  next();
}

/** Walks arrays and objects without recursion, so the check itself cannot overflow the stack. */
function nestingDepthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth + 1 > maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
