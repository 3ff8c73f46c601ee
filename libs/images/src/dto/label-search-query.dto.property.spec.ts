import { MAX_PAGE_SIZE } from '@app/pagination';
import { createValidationPipe } from '@app/validation';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_WORD_PATTERN } from '../label-words.js';
import { LabelSearchQueryDto, RequiredLabelSearchQueryDto } from './label-search-query.dto.js';

const RUNS = 500;
const pipe = createValidationPipe();

/** What Express's query parser hands over: a string, or an array of them for a repeated parameter. */
const queryValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.stringMatching(/^[\p{L}\p{N}]{1,70}$/u),
  fc.constantFrom(
    '',
    'dog',
    'Dog',
    'ß',
    'coach dog',
    'dog!',
    "dog' OR '1'='1",
    'do\u200Bg',
    'dog\u0000',
    '🦊',
    '5',
    'a'.repeat(65),
  ),
  fc.array(fc.constantFrom('dog', 'cat'), { minLength: 2, maxLength: 3 }),
);
const queryLike = fc.record(
  {
    label: queryValue,
    limit: fc.oneof(fc.integer({ min: -5, max: 105 }).map(String), fc.string({ maxLength: 4 })),
    nextKey: fc.constantFrom('eyJ3b3JkIjoiZG9nIn0', '!!', ''),
  },
  { requiredKeys: [] },
);

describe.each([
  ['LabelSearchQueryDto (GET /groups/:groupId/images)', LabelSearchQueryDto, false],
  ['RequiredLabelSearchQueryDto (GET /images)', RequiredLabelSearchQueryDto, true],
] as const)('%s through the app’s ValidationPipe (property-based)', (_name, metatype, labelRequired) => {
  it(`accepts a query only with one word of letters or digits for label and valid paging, else refuses it with a 400 (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(queryLike, async (query) => {
        let accepted: LabelSearchQueryDto;
        try {
          accepted = (await pipe.transform(query, { type: 'query', metatype })) as LabelSearchQueryDto;
        } catch (error) {
          expect(error).toBeInstanceOf(BadRequestException);
          return;
        }

        expect(Object.keys(accepted).every((key) => ['label', 'limit', 'nextKey'].includes(key))).toBe(true);
        if (labelRequired || accepted.label !== undefined) expect(accepted.label).toMatch(LABEL_WORD_PATTERN);
        expect(Number.isInteger(accepted.limit) && accepted.limit >= 1 && accepted.limit <= MAX_PAGE_SIZE).toBe(true);
        if (accepted.nextKey !== undefined) expect(accepted.nextKey).toMatch(/^[A-Za-z0-9_-]{1,1024}$/);
      }),
      { numRuns: RUNS },
    );
  });
});
