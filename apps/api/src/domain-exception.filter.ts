import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthenticatedError,
  type ErrorResponseDto,
} from '@app/errors';
import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';

const STATUS_BY_ERROR = new Map<abstract new (...args: never[]) => Error, HttpStatus>([
  [InvalidInputError, HttpStatus.BAD_REQUEST],
  [UnauthenticatedError, HttpStatus.UNAUTHORIZED],
  [ForbiddenError, HttpStatus.FORBIDDEN],
  [NotFoundError, HttpStatus.NOT_FOUND],
  [ConflictError, HttpStatus.CONFLICT],
  [ServiceUnavailableError, HttpStatus.SERVICE_UNAVAILABLE],
]);

/**
 * The one place errors become HTTP responses, all with the body `{statusCode, error, message}`. Domain errors
 * map by class; Nest's own HttpExceptions (validation, unknown routes, body-parser errors) keep their status;
 * anything else is a 500 whose details go to the log, not to the caller. Platform-agnostic (HttpAdapterHost).
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const { statusCode, message } = this.describe(exception);
    if (statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    const body: ErrorResponseDto = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    httpAdapter.reply(host.switchToHttp().getResponse(), body, statusCode);
  }

  private describe(exception: unknown): { statusCode: number; message: string } {
    for (const [errorClass, statusCode] of STATUS_BY_ERROR) {
      if (exception instanceof errorClass) return { statusCode, message: exception.message };
    }
    if (exception instanceof HttpException) {
      // Nest wraps body-parser failures, whose own messages quote parser internals.
      const parserError = bodyParserError(exception.cause);
      return parserError ?? { statusCode: exception.getStatus(), message: httpExceptionMessage(exception) };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** body-parser marks the errors that are the client's (bad JSON, body too large) with `expose` and a 4xx status. */
function bodyParserError(cause: unknown): { statusCode: number; message: string } | undefined {
  const candidate = cause as { status?: unknown; expose?: unknown; type?: unknown } | undefined;
  if (
    typeof candidate?.status !== 'number' ||
    candidate.status < 400 ||
    candidate.status >= 500 ||
    candidate.expose !== true
  ) {
    return undefined;
  }
  const messages: Record<string, string> = {
    'entity.parse.failed': 'The request body is not valid JSON',
    'entity.too.large': 'The request body is too large',
    'encoding.unsupported': 'The request body’s encoding is not supported',
    'charset.unsupported': 'The request body’s charset is not supported',
  };
  const type = typeof candidate.type === 'string' ? candidate.type : '';
  return { statusCode: candidate.status, message: messages[type] ?? STATUS_CODES[candidate.status] ?? 'Bad request' };
}
