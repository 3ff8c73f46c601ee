import { randomBytes } from 'node:crypto';

/** Shaped like API Gateway's (`L0SM9cOFvHcCIhw=`): standard base64, so `+`, `/` and `=` test URL encoding too. */
export function newConnectionId(): string {
  return randomBytes(11).toString('base64');
}
