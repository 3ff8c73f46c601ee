/** A failed API call, carrying the API's own `message` (its error bodies are `{statusCode, error, message}`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status; 0 when the API could not be reached at all. */
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The message a person should read for a failed response, from its body as openapi-fetch parsed it. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const message =
    typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
      ? body.message
      : `The request failed (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
  return new ApiError(response.status, message);
}

/** Any thrown value as a sentence for an error message. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
