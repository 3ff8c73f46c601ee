/**
 * Any thrown value as one line for a log or an error message: an Error's message, after its name when the name says
 * more than `Error` (`TimeoutError: …`, an SDK exception's name); the causes of an AggregateError without a message
 * of its own (Node's "every address of this host refused"); anything else as text.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return `AggregateError: ${error.errors.map(describeError).join('; ')}`;
  }
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null) return jsonOrString(error);
  return String(error);
}

function jsonOrString(value: object): string {
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
