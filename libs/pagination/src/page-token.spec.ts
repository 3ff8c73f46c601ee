import { InvalidInputError } from '@app/errors';
import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from './page-token.js';

const imagesOfGroupA = { attributes: ['groupId', 'timestampId'], fixed: { groupId: 'a' } } as const;

describe('page tokens', () => {
  it('round-trips a key of the listing', () => {
    const key = { groupId: 'a', timestampId: '2026-11-26T07:00:00.000Z#x' };

    expect(decodePageToken(encodePageToken(key), imagesOfGroupA)).toEqual(key);
  });

  it('encodes no token when there is no next page', () => {
    expect(encodePageToken(undefined)).toBeUndefined();
    expect(decodePageToken(undefined, imagesOfGroupA)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON that is not an object', encode([1, 2])],
    ['a key of another group', encode({ groupId: 'b', timestampId: 't' })],
    ['an extra attribute', encode({ groupId: 'a', timestampId: 't', userId: 'x' })],
    ['a missing attribute', encode({ groupId: 'a' })],
    ['a non-string value', encode({ groupId: 'a', timestampId: { S: 't' } })],
    ['an empty value', encode({ groupId: 'a', timestampId: '' })],
  ])('refuses %s', (_case, token) => {
    expect(() => decodePageToken(token, imagesOfGroupA)).toThrow(InvalidInputError);
  });
});

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
