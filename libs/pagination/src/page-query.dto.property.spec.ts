import { createValidationPipe } from '@app/validation';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQueryDto } from './page-query.dto.js';
import { encodePageToken } from './page-token.js';

const RUNS = 500;
const pipe = createValidationPipe();
const validate = (query: unknown) => pipe.transform(query, { type: 'query', metatype: PageQueryDto });

/** What Express's query parser hands over: a string, or an array of them for a repeated parameter. */
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('1e2', '0x10', ' 5 ', '-0', '1.5', 'Infinity', 'NaN', '', '\u0000', 'A'.repeat(1025), '!!!', 'eyJ'),
  fc.string({ unit: fc.constantFrom(...'ABCabc019-_=+/.'), maxLength: 1100 }),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
);
const queryLike = fc
  .tuple(
    fc.record({ limit: queryValue, nextKey: queryValue }, { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom('label', 'sort', 'offset', 'limit[a]'), queryValue, { maxKeys: 1 }),
  )
  .map(([query, extra]) => ({ ...extra, ...query }));

describe('PageQueryDto through the app’s ValidationPipe (property-based)', () => {
  it(`accepts a query only with limit 1–${MAX_PAGE_SIZE} and a base64url nextKey, else refuses it with a 400 (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(queryLike, async (query) => {
        let accepted: PageQueryDto;
        try {
          accepted = (await validate(query)) as PageQueryDto;
        } catch (error) {
          expect(error).toBeInstanceOf(BadRequestException);
          return;
        }

        expect(Object.keys(accepted).every((key) => key === 'limit' || key === 'nextKey')).toBe(true);
        expect(Number.isInteger(accepted.limit)).toBe(true);
        expect(accepted.limit).toBeGreaterThanOrEqual(1);
        expect(accepted.limit).toBeLessThanOrEqual(MAX_PAGE_SIZE);
        if ('limit' in query === false) expect(accepted.limit).toBe(DEFAULT_PAGE_SIZE);
        if (accepted.nextKey !== undefined) expect(accepted.nextKey).toMatch(/^[A-Za-z0-9_-]{1,1024}$/);
      }),
      { numRuns: RUNS },
    );
  });

  it(`accepts as nextKey every token encodePageToken makes for a key of the app's listings (${RUNS} runs)`, async () => {
    const timestampId = fc
      .tuple(fc.date({ noInvalidDate: true }), fc.uuid())
      .map(([date, id]) => `${date.toISOString()}#${id}`);
    const word = fc.stringMatching(/^[\p{L}\p{N}]{1,64}$/u);
    const key = fc.oneof(
      fc.record({
        id: fc.uuid(),
        listing: fc.constant('groups'),
        timestamp: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      }),
      fc.record({ groupId: fc.uuid(), timestampId }),
      fc.record({ word, timestampId }),
      fc.tuple(fc.uuid(), word, timestampId).map(([groupId, labelWord, id]) => ({
        word: labelWord,
        groupWord: `${groupId}#${labelWord}`,
        timestampId: id,
      })),
    );

    await fc.assert(
      fc.asyncProperty(key, fc.integer({ min: 1, max: MAX_PAGE_SIZE }), async (pageKey, limit) => {
        const nextKey = encodePageToken(pageKey)!;

        await expect(validate({ limit: String(limit), nextKey })).resolves.toEqual(
          Object.assign(new PageQueryDto(), { limit, nextKey }),
        );
      }),
      { numRuns: RUNS },
    );
  });
});
