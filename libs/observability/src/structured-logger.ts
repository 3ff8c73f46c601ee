import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import type { LogLevel, LoggerService } from '@nestjs/common';
import { currentLogKeys } from './log-context.js';
import { sinkFromEnvironment, type LogSink } from './log-sink.js';
import { redactSecrets } from './redact.js';

/** Nest's own start-up chatter (one line per module and route): DEBUG, so a cold start does not print dozens. */
const NEST_BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

type PowertoolsMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

const NEST_TO_POWERTOOLS: Record<LogLevel, PowertoolsMethod> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'critical',
};

/** Powertools' Logger, printing through a sink and adding the current scope's keys (log-context.ts) to every line. */
class ScopedPowertoolsLogger extends PowertoolsLogger {
  // Set after super(): Powertools may print a configuration warning while constructing, which then goes to stdout.
  private sink?: LogSink;

  constructor(serviceName: string, sink: LogSink) {
    super({ serviceName, jsonReplacerFn: redactingReplacer });
    this.sink = sink;
  }

  protected override createAndPopulateLogItem(
    ...args: Parameters<PowertoolsLogger['createAndPopulateLogItem']>
  ): LogItem {
    return super.createAndPopulateLogItem(...args).addAttributes(currentLogKeys());
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (this.sink === undefined) return super.printLog(logLevel, log);
    log.prepareForPrint();
    const json = JSON.stringify(log.getAttributes(), this.getJsonReplacer());
    this.sink.write(json, JSON.parse(json) as Record<string, unknown>);
  }
}

/** Strings pass through redactSecrets wherever they sit in a line (the message, an error's stack, any key). */
function redactingReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactSecrets(value) : value;
}

/**
 * Nest's LoggerService over Powertools for AWS Lambda's Logger: one JSON object per line with Powertools' keys
 * (`level`, `message`, `timestamp`, `service`, the Lambda context's inside an invocation) plus Nest's `context` and
 * whatever the current scope carries (`imageId`, `correlationId`). Pass it as `logger:` to NestFactory; every
 * `new Logger(Name)` of the app then writes through it.
 *
 * Built on its first line, not at import: the level (POWERTOOLS_LOG_LEVEL, LOG_LEVEL; INFO by default) and the
 * destination (log-sink.ts) are read from the environment then, which the local cloud sets after importing handlers.
 */
export class StructuredLogger implements LoggerService {
  private readonly loggers = new Map<string, ScopedPowertoolsLogger>();

  constructor(
    readonly service: string,
    private readonly sink?: LogSink,
  ) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /**
   * Powertools' own Logger, for code that logs without Nest (it writes the same lines): this service's, or the one
   * the current invocation's scope names (lambda-invocation.ts).
   */
  powertools(): PowertoolsLogger {
    const scoped = currentLogKeys().service;
    const service = typeof scoped === 'string' ? scoped : this.service;
    let logger = this.loggers.get(service);
    if (logger === undefined) {
      logger = new ScopedPowertoolsLogger(service, this.sink ?? sinkFromEnvironment(service));
      this.loggers.set(service, logger);
    }
    return logger;
  }

  /**
   * Nest's calling convention: `logger.log(message, ...details, context)` and `logger.error(message, stack,
   * context)`; a Logger created with a context appends it as the last string.
   */
  private write(level: LogLevel, message: unknown, optionalParams: unknown[]): void {
    const params = [...optionalParams];
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const extra: Record<string, unknown> = {};
    if (context !== undefined) extra.context = context;
    if (level === 'error' && typeof params[0] === 'string' && params[0].includes('\n    at '))
      extra.stack = params.shift();
    for (const param of params) {
      if (param instanceof Error) extra.error = param;
      else if (param !== undefined && param !== null && typeof param === 'object') Object.assign(extra, param);
      else if (param !== undefined) extra.details = [...((extra.details as unknown[] | undefined) ?? []), param];
    }
    if (message instanceof Error) extra.error = message;
    const text =
      message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const method =
      context !== undefined && NEST_BOOT_CONTEXTS.has(context) && level === 'log' ? 'debug' : NEST_TO_POWERTOOLS[level];
    this.powertools()[method]({ message: text, ...extra });
  }
}
