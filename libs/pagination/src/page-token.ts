import { InvalidInputError } from '@app/errors';

/** A DynamoDB key as it appears in LastEvaluatedKey: every listing here pages over string attributes only. */
export type PageKey = Record<string, string>;

export function encodePageToken(key: PageKey | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a token and checks that it is a key of *this* listing: exactly the expected attributes, each a
 * string, and the listing's fixed attributes (e.g. the groupId of the group being listed) unchanged. So a
 * tampered token is a 400, never a 500 nor a page of another listing.
 */
export function decodePageToken(
  token: string | undefined,
  expected: { attributes: readonly string[]; fixed?: Readonly<PageKey> },
): PageKey | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new InvalidInputError('nextKey is not a token of this listing');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidInputError('nextKey is not a token of this listing', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  const names = entries.map(([name]) => name).sort();
  if (names.join('\u0000') !== [...expected.attributes].sort().join('\u0000')) throw invalid();
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 256) throw invalid();
    const fixedValue = expected.fixed?.[name];
    if (fixedValue !== undefined && fixedValue !== value) throw invalid();
  }
  return parsed as PageKey;
}
