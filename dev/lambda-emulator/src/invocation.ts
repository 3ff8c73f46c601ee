/** One event on its way to a runtime; `fault` is an injected crash or timeout it is to suffer. */
export interface Invocation {
  requestId: string;
  payload: Buffer;
  fault?: 'crash' | 'timeout';
}

/** What the invoker gets: the runtime's response, or (`functionError`) the error JSON `{errorType, errorMessage}`. */
export interface InvocationResult {
  functionError: boolean;
  payload: Buffer;
}

export function successResult(payload: Buffer): InvocationResult {
  return { functionError: false, payload };
}

export function functionErrorResult(errorType: string, errorMessage: string): InvocationResult {
  return { functionError: true, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })) };
}

/** The `errorType` of a function error, for logs. */
export function errorTypeOf(result: InvocationResult): string | undefined {
  if (!result.functionError) return undefined;
  const errorType = parseJsonObject(result.payload)?.errorType;
  return typeof errorType === 'string' ? errorType : 'Unknown';
}

/**
 * A function error as a runtime posted it: passed through when it is an `{errorType, errorMessage}` object (extra
 * fields such as `stackTrace` included), otherwise wrapped, typed by the `Lambda-Runtime-Function-Error-Type` header.
 */
export function runtimeErrorResult(
  body: Buffer,
  errorTypeHeader: string | undefined,
  fallbackErrorType: string,
): InvocationResult {
  const parsed = parseJsonObject(body);
  if (typeof parsed?.errorType === 'string') return { functionError: true, payload: body };
  const errorMessage = typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : body.toString();
  return functionErrorResult(errorTypeHeader ?? fallbackErrorType, errorMessage);
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
