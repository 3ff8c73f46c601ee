import type { Context } from 'aws-lambda';
import { withLogKeys } from './log-context.js';

/** What a Lambda context contributes to a line (Powertools' key names). */
export type InvocationContext = Pick<Context, 'awsRequestId' | 'functionName'> &
  Partial<Pick<Context, 'invokedFunctionArn' | 'memoryLimitInMB'>>;

/**
 * Runs one invocation of the function `service` with the Lambda context's keys on every line it logs:
 * `function_request_id`, `function_name`, `cold_start` (true for this instance's first invocation only), as
 * Powertools' injectLambdaContext adds them. One tracker per function module, so a process running several emulated
 * functions counts each one's first invocation.
 *
 * The scope also names the service: Nest's logger is one per process (the last app's `logger:` wins), so where the
 * local system runs several functions in one process, a line goes to the service whose invocation logs it.
 */
export function lambdaInvocations(service: string) {
  let invoked = false;
  return <T>(context: Partial<InvocationContext> | undefined, work: () => T): T => {
    // Outside Lambda (a local caller without a context) there is no invocation to name, only the function.
    if (context?.awsRequestId === undefined) return withLogKeys({ service }, work);
    const coldStart = !invoked;
    invoked = true;
    return withLogKeys(
      {
        service,
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
