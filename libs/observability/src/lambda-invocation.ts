import type { Context } from 'aws-lambda';
import { withLogKeys } from './log-context.js';

/** What a Lambda context contributes to a line (Powertools' key names). */
export type InvocationContext = Pick<Context, 'awsRequestId' | 'functionName'> & Partial<Pick<Context, 'invokedFunctionArn' | 'memoryLimitInMB'>>;

/**
 * Runs one invocation with the Lambda context's keys on every line it logs: `function_request_id`, `function_name`,
 * `cold_start` (true for this instance's first invocation only), as Powertools' injectLambdaContext adds them. One
 * tracker per function module, so a process running several emulated functions counts each one's first invocation.
 */
export function lambdaInvocations() {
  let invoked = false;
  return <T>(context: Partial<InvocationContext> | undefined, work: () => T): T => {
    // Outside Lambda (a local caller without a context) there is no invocation to name.
    if (context?.awsRequestId === undefined) return work();
    const coldStart = !invoked;
    invoked = true;
    return withLogKeys(
      {
        cold_start: coldStart,
        function_name: context.functionName,
        function_arn: context.invokedFunctionArn,
        function_memory_size: context.memoryLimitInMB === undefined ? undefined : Number(context.memoryLimitInMB),
        function_request_id: context.awsRequestId,
      },
      work,
    );
  };
}
