import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it.each([
    ['a plain Error, by its message', new Error('the bucket is gone'), 'the bucket is gone'],
    ['a named Error, by name and message', new TypeError('fetch failed'), 'TypeError: fetch failed'],
    [
      'an SDK exception, by its exception name',
      new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: {} }),
      'TooManyRequestsException: Rate Exceeded.',
    ],
    [
      'an AggregateError without a message, by its causes',
      new AggregateError([
        new Error('connect ECONNREFUSED ::1:8000'),
        new Error('connect ECONNREFUSED 127.0.0.1:8000'),
      ]),
      'AggregateError: connect ECONNREFUSED ::1:8000; connect ECONNREFUSED 127.0.0.1:8000',
    ],
    ['an AggregateError with a message, by it', new AggregateError([], 'all failed'), 'AggregateError: all failed'],
    ['a string, as it is', 'gone', 'gone'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['a plain object, as JSON', { errorType: 'Runtime.Unknown' }, '{"errorType":"Runtime.Unknown"}'],
  ])('describes %s', (_what, error, description) => {
    expect(describeError(error)).toBe(description);
  });

  it('describes an object JSON cannot write as text instead of throwing', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    expect(describeError(circular)).toBe('[object Object]');
  });
});
