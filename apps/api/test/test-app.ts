import { StructuredLogger } from '@app/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/configure-app.js';

/**
 * The real AppModule, configured as the servers configure it, on the local cloud the e2e set-up started; its lines go
 * where the run's API lines go (.local/logs/udagram-api.log).
 */
export async function createTestApp(
  beforeInit: (app: NestExpressApplication) => void = () => undefined,
): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const logger = new StructuredLogger('udagram-api');
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ logger }));
  beforeInit(app);
  await app.init();
  return app;
}
