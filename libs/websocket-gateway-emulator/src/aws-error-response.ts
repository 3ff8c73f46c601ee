import type { ServerResponse } from 'node:http';

/** An error as API Gateway's management API answers it: the SDK takes the exception's name from `x-amzn-ErrorType`. */
export function sendAwsError(response: ServerResponse, status: number, errorType: string, message: string): void {
  const body = JSON.stringify({ message });
  response
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-ErrorType': errorType,
    })
    .end(body);
}
