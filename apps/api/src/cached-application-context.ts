import type { INestApplicationContext, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * A Lambda entry point's Nest application context: built on the first invocation and reused by the warm ones. A
 * failed start is not cached, so the next invocation tries again; `abortOnError: false` makes Nest throw instead of
 * exiting, so the runtime (or the local emulator) reports the error.
 */
export function cachedApplicationContext(
  module: Type<unknown>,
  logger: LoggerService | LogLevel[],
): () => Promise<INestApplicationContext> {
  let starting: Promise<INestApplicationContext> | undefined;
  return () => {
    starting ??= NestFactory.createApplicationContext(module, { logger, abortOnError: false }).catch((error: unknown) => {
      starting = undefined;
      throw error;
    });
    return starting;
  };
}
