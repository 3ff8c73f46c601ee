import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_ID_HEADER, correlationIdFor } from './correlation-id.js';
import { lambdaInvocations, type InvocationContext } from './lambda-invocation.js';
import { withLogKeys } from './log-context.js';

/** What the running Lambda invocation is, if any: API Gateway's request id and the Lambda context. */
export interface CurrentInvocation {
  gatewayRequestId?: string;
  context?: InvocationContext;
}

type CorrelatedRequest = Request & { correlationId?: string };

/**
 * Express middleware (first in the chain): gives the request its correlation id (correlation-id.ts), answers it in
 * the `x-correlation-id` response header, and runs the rest of the request in a log scope carrying it and the Lambda
 * context's keys, so every line the request logs (the guard's 401, a service's line, the error filter's 500) has them.
 */
export function correlationScope(currentInvocation: () => CurrentInvocation = () => ({}), service = 'udagram-api') {
  const invocation = lambdaInvocations(service);
  return (request: CorrelatedRequest, response: Response, next: NextFunction): void => {
    const { gatewayRequestId, context } = currentInvocation();
    const correlationId = correlationIdFor(request.headers[CORRELATION_ID_HEADER], gatewayRequestId);
    request.correlationId = correlationId;
    response.setHeader(CORRELATION_ID_HEADER, correlationId);
    invocation(context, () => withLogKeys({ correlationId }, next));
  };
}

/** The request's correlation id (set by correlationScope), for a handler that stores it, as image creation does. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<CorrelatedRequest>();
  return request.correlationId ?? correlationIdFor(request.headers[CORRELATION_ID_HEADER], undefined);
});
