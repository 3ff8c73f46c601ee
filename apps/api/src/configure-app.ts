import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiConfig } from './api.config.js';

/** The imperative part of the set-up, shared by the local server, the Lambda handler and the e2e tests. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(ConfigService).getOrThrow<ApiConfig>('api');
  app.disable('x-powered-by');
  // Bodies here are small JSON documents; photos go straight to S3 through presigned URLs.
  app.useBodyParser('json', { limit: '64kb' });
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  return app;
}
