import type { CurrentInvocation } from '@app/observability';
import { getCurrentInvoke } from '@vendia/serverless-express';

/**
 * The API Gateway event and Lambda context serverless-express is handling now (one at a time per instance); empty
 * on the local server.
 */
export function currentInvocation(): CurrentInvocation {
  const { event, context } = getCurrentInvoke() as {
    event?: { requestContext?: { requestId?: unknown } };
    context?: CurrentInvocation['context'];
  };
  const requestId = event?.requestContext?.requestId;
  return { gatewayRequestId: typeof requestId === 'string' ? requestId : undefined, context };
}
