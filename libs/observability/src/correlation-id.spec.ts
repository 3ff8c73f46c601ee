import { describe, expect, it } from 'vitest';
import { correlationIdFor, isCorrelationId } from './correlation-id.js';

describe('correlationIdFor', () => {
  it('keeps a valid x-correlation-id header', () => {
    expect(correlationIdFor('checkout-42:retry.1', 'JKJaXmPLvHcESHA=')).toBe('checkout-42:retry.1');
  });

  it('falls back to API Gateway’s request id, written in base64url without padding', () => {
    expect(correlationIdFor('bad id with spaces', 'JK+a/mPLvHcESHA=')).toBe('JK-a_mPLvHcESHA');
    expect(correlationIdFor(undefined, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef')).toBe(
      'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    );
  });

  it('makes a random UUID without either', () => {
    const id = correlationIdFor(['a', 'b'], undefined);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(correlationIdFor(undefined, undefined)).not.toBe(id);
  });

  it('accepts only up to 128 characters of [A-Za-z0-9._:-]', () => {
    expect(isCorrelationId('a'.repeat(128))).toBe(true);
    expect(isCorrelationId('a'.repeat(129))).toBe(false);
    expect(isCorrelationId('')).toBe(false);
    expect(isCorrelationId('a\nb')).toBe(false);
    expect(isCorrelationId('{"x":1}')).toBe(false);
  });
});
