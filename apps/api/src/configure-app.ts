import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { ApiConfig } from './api.config.js';

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
 * images; no inline script. No upgrade-insecure-requests: the local server is plain http.
 */
const DOCS_HEADERS: HelmetOptions = {
  ...API_HEADERS,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/** The imperative part of the set-up, shared by the local server, the Lambda handler and the e2e tests. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(ConfigService).getOrThrow<ApiConfig>('api');
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  app.use(refuseNonJsonBodies);
  // Bodies here are small JSON documents; photos go straight to S3 through presigned URLs.
  app.useBodyParser('json', { limit: '64kb' });
  app.use(refuseDeepJson);
  return app;
}

function securityHeaders(): RequestHandler {
  const api = helmet(API_HEADERS);
  const docs = helmet(DOCS_HEADERS);
  // Where swagger.ts mounts Swagger UI (and its document at /docs-json).
  return (request, response, next) => (request.path.startsWith('/docs') ? docs : api)(request, response, next);
}

/**
 * A body in any other type than JSON is a 415, not parsed: Nest would otherwise parse a form body (a CORS "simple"
 * request) and validate it like JSON. An empty body (`Content-Length: 0`, as fetch sends on a bare POST) is no body.
 */
function refuseNonJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const { 'content-length': length, 'transfer-encoding': transferEncoding } = request.headers;
  const hasBody = transferEncoding !== undefined || (length !== undefined && length !== '0');
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
