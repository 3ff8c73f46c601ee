import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isTransientAwsError } from './transient-error.js';

const named = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

describe('isTransientAwsError', () => {
  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'SlowDown',
    'TransactionInProgressException',
    'TimeoutError',
  ])('counts %s as transient', (name) => {
    expect(isTransientAwsError(named(name, 400))).toBe(true);
  });

  it('counts 429, 5xx and refused, reset or unresolved connections as transient', () => {
    expect(isTransientAwsError(named('Whatever', 429))).toBe(true);
    expect(isTransientAwsError(named('InternalServerError', 500))).toBe(true);
    expect(isTransientAwsError(named('ServiceUnavailable', 503))).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(isTransientAwsError(Object.assign(new Error(code), { code })), code).toBe(true);
    }
  });

  it('counts an AggregateError of refused connections (every address of a host) as transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:8000'), { code: 'ECONNREFUSED' });

    expect(isTransientAwsError(new AggregateError([refused, refused]))).toBe(true);
    expect(isTransientAwsError(new AggregateError([new Error('bug')]))).toBe(false);
  });

  it('leaves client errors alone: failed conditions, cancelled transactions, validation, non-errors', () => {
    const conditionFailed = new ConditionalCheckFailedException({ message: 'failed', $metadata: { httpStatusCode: 400 } });
    const cancelled = new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 } });

    expect(isTransientAwsError(conditionFailed)).toBe(false);
    expect(isTransientAwsError(cancelled)).toBe(false);
    expect(isTransientAwsError(named('ValidationException', 400))).toBe(false);
    expect(isTransientAwsError('ThrottlingException')).toBe(false);
    expect(isTransientAwsError(undefined)).toBe(false);
  });
});
