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

/** The message a person should read for a failed response. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : `The request failed (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
  return new ApiError(response.status, message);
}

/** Any thrown value as a sentence for an error message. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
