import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from '@app/errors';
import { BadRequestException, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainExceptionFilter } from './domain-exception.filter.js';

describe('DomainExceptionFilter', () => {
  const reply = vi.fn();
  const response = {};
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  const filter = new DomainExceptionFilter({ httpAdapter: { reply } } as unknown as HttpAdapterHost);

  beforeEach(() => {
    reply.mockReset();
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    [new InvalidInputError('nextKey is not a token of this listing'), 400, 'Bad Request'],
    [new UnauthenticatedError('A bearer token is required'), 401, 'Unauthorized'],
    [new ForbiddenError('Only the owner may'), 403, 'Forbidden'],
    [new NotFoundError('Group x does not exist'), 404, 'Not Found'],
    [new ConflictError('Group x still holds images'), 409, 'Conflict'],
    [new ServiceUnavailableError('DynamoDB is unavailable'), 503, 'Service Unavailable'],
  ])('maps %s to %i with the shared body', (error, statusCode, phrase) => {
    filter.catch(error, host);

    expect(reply).toHaveBeenCalledWith(response, { statusCode, error: phrase, message: error.message }, statusCode);
  });

  it('joins validation messages so every offending field is named', () => {
    const validation = new BadRequestException(['name must be a string', 'property extra should not exist']);

    filter.catch(validation, host);

    expect(reply).toHaveBeenCalledWith(
      response,
      { statusCode: 400, error: 'Bad Request', message: 'name must be a string; property extra should not exist' },
      400,
    );
  });

  it('keeps the status of Nest’s own exceptions, such as an unknown route', () => {
    filter.catch(new NotFoundException('Cannot GET /nowhere'), host);

    expect(reply).toHaveBeenCalledWith(
      response,
      { statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere' },
      404,
    );
  });

  it('answers malformed JSON from the body parser with a 400 that does not echo the body', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });

    filter.catch(new BadRequestException(parseError.message, { cause: parseError }), host);

    expect(reply).toHaveBeenCalledWith(
      response,
      { statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' },
      400,
    );
  });

  it('hides the details of an unexpected error behind a 500 and logs them', () => {
    filter.catch(new TypeError('secret internals'), host);

    expect(reply).toHaveBeenCalledWith(
      response,
      { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
      500,
    );
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('secret internals'));
  });
});
