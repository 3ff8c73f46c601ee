import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { UploadProcessor, type S3EventNotification } from '@app/labelling';
import { UploadPipelineModule } from './upload-pipeline.module.js';

let context: Promise<INestApplicationContext> | undefined;

/** The S3 ObjectCreated handler: one application context per Lambda instance, reused across invocations. */
export async function handler(event: S3EventNotification): Promise<void> {
  context ??= NestFactory.createApplicationContext(UploadPipelineModule, {
    logger: ['log', 'warn', 'error'],
    // Throw instead of exiting: the runtime reports the failed start and the next invocation tries again.
    abortOnError: false,
  }).catch(
    (error: unknown) => {
      context = undefined; // a failed start must not poison every later invocation
      throw error;
    },
  );
  await (await context).get(UploadProcessor).handle(event);
}
