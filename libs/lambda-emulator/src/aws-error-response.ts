import type { ServerResponse } from 'node:http';

/**
 * An error in the shape of Lambda's REST-JSON protocol: the SDK takes the exception name from `x-amzn-ErrorType`
 * and its fields from the JSON body (`Type`, and `message` or `Message` as the operation's model spells it).
 */
export function sendAwsError(
  response: ServerResponse,
  status: number,
  errorType: string,
  fields: Record<string, string>,
): void {
  const body = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', ...fields });
  response
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-ErrorType': errorType,
    })
    .end(body);
}
