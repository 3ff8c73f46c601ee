import { StructuredLogger } from '@app/observability';
import type { INestApplicationContext, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** Every Node.js Lambda function of the stack, by the `service` its log lines carry. */
export type LambdaService =
  'udagram-api' | 'classification-worker' | 'thumbnail-worker' | 'notifier' | 'websocket' | 'pre-traffic-hook';

/**
 * The Nest logger of every Lambda function, made here and nowhere else: JSON lines with Powertools' keys, which
 * CloudWatch Logs Insights can query (docs/OBSERVABILITY.md).
 */
export function lambdaLogger(service: LambdaService): LoggerService {
  return new StructuredLogger(service);
}

/** What every Lambda function gives NestFactory (create or createApplicationContext). */
export interface LambdaNestOptions {
  logger: LoggerService;
  abortOnError: false;
}

/**
 * A Lambda function's boot: run on the first invocation and reused by the warm ones. The promise is cached, so
 * concurrent first events share one boot. A failed boot is not cached, so the next invocation tries again instead of
 * failing for the execution environment's lifetime; `abortOnError: false` makes Nest throw instead of exiting the
 * process, so the runtime (or the local emulator) reports the error.
 */
export function lambdaBoot<T>(
  service: LambdaService,
  boot: (options: LambdaNestOptions) => Promise<T>,
): () => Promise<T> {
  let booting: Promise<T> | undefined;
  return () => {
    booting ??= boot({ logger: lambdaLogger(service), abortOnError: false }).catch((error: unknown) => {
      booting = undefined;
      throw error;
    });
    return booting;
  };
}

/** The boot of a function that is not HTTP (queue workers, stream consumer, WebSocket routes): a Nest context. */
export function cachedApplicationContext(
  module: Type<unknown>,
  service: LambdaService,
): () => Promise<INestApplicationContext> {
  return lambdaBoot(service, (options) => NestFactory.createApplicationContext(module, options));
}
