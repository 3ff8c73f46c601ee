import { InvalidInputError } from '@app/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, type PageKey } from './page-token.js';

const RUNS = 1000;

/** A listing as a service describes it to decodePageToken: its key's attributes and the values fixed for it. */
interface Listing {
  attributes: readonly string[];
  fixed: Readonly<PageKey>;
}

// The shapes of the app's listings (groups, a group's images, label search anywhere and in one group), with
// arbitrary fixed values: the properties hold for every group and every word.
const uuid = fc.uuid();
const word = fc.stringMatching(/^[\p{L}\p{N}]{1,64}$/u);
const listing: fc.Arbitrary<Listing> = fc.oneof(
  fc.constant({ attributes: ['id', 'listing', 'timestamp'], fixed: { listing: 'groups' } }),
  uuid.map((groupId) => ({ attributes: ['groupId', 'timestampId'], fixed: { groupId } })),
  word.map((labelWord) => ({ attributes: ['word', 'timestampId'], fixed: { word: labelWord } })),
  fc.tuple(uuid, word).map(([groupId, labelWord]) => ({
    attributes: ['word', 'timestampId', 'groupWord'],
    fixed: { groupWord: `${groupId}#${labelWord}`, word: labelWord },
  })),
);
const attributeValue = fc.string({ unit: 'binary', minLength: 1, maxLength: 256 });

/** Any key of the listing: its fixed values, and anything DynamoDB could hold in the other attributes. */
function keyOf({ attributes, fixed }: Listing): fc.Arbitrary<PageKey> {
  return fc.record(
    Object.fromEntries(
      attributes.map((name) => [name, fixed[name] === undefined ? attributeValue : fc.constant(fixed[name])]),
    ),
  );
}

const sameListing = (a: Listing, b: Listing) =>
  JSON.stringify([[...a.attributes].sort(), a.fixed]) === JSON.stringify([[...b.attributes].sort(), b.fixed]);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Strings a caller could send: noise, base64url of any JSON, and keys of a listing with one attribute changed. */
const tokenLike = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    maxLength: 300,
  }),
  fc.jsonValue().map(encode),
  listing
    .chain(keyOf)
    .chain((key) => fc.tuple(fc.constant(key), fc.constantFrom(...Object.keys(key)), fc.jsonValue({ maxDepth: 1 })))
    .map(([key, name, value]) => encode({ ...key, [name]: value })),
);

function expectKeyOf(key: PageKey, { attributes, fixed }: Listing): void {
  expect(Object.keys(key).sort()).toEqual([...attributes].sort());
  for (const [name, value] of Object.entries(key)) {
    expect(typeof value).toBe('string');
    expect(value.length).toBeGreaterThan(0);
    expect(value.length).toBeLessThanOrEqual(256);
    if (fixed[name] !== undefined) expect(value).toBe(fixed[name]);
  }
}

describe('page tokens (property-based)', () => {
  it(`decode any string to a key of the expected listing, or refuse it with InvalidInputError and nothing else (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(tokenLike, listing, (token, expected) => {
        let key: PageKey | undefined;
        try {
          key = decodePageToken(token, expected);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          return;
        }
        expectKeyOf(key!, expected);
      }),
      { numRuns: RUNS },
    );
  });

  it(`round-trip every key of a listing (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        listing.chain((expected) => fc.tuple(fc.constant(expected), keyOf(expected))),
        ([expected, key]) => {
          expect(decodePageToken(encodePageToken(key), expected)).toEqual(key);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`never decode a token of one listing for another (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        listing.chain((source) => fc.tuple(fc.constant(source), keyOf(source))),
        listing,
        ([source, key], other) => {
          fc.pre(!sameListing(source, other));

          expect(() => decodePageToken(encodePageToken(key), other)).toThrow(InvalidInputError);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
