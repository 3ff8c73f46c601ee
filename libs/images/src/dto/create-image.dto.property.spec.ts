import { createValidationPipe } from '@app/validation';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAGE_CONTENT_TYPES } from '../image.js';
import { CreateImageDto } from './create-image.dto.js';

const RUNS = 500;
const pipe = createValidationPipe();
const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: CreateImageDto });

/**
 * class-validator counts code points, less the emoji presentation selectors that follow a character: its count lies
 * between the code points without any selector and all the code points.
 */
const codePoints = (text: string) => [...text].length;
const codePointsWithoutSelectors = (text: string) =>
  [...text].filter((point) => point !== '\uFE0E' && point !== '\uFE0F').length;
const char = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\uD800', '\u0000', '\u202E', '\u200B', '\uFE0F', ' ', '\u00A0', '🐿'),
);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });
const contentTypeLike = fc.oneof(
  fc.constantFrom(
    ...IMAGE_CONTENT_TYPES,
    'IMAGE/JPEG',
    'image/gif',
    'image/svg+xml',
    'text/html',
    'image/jpeg; charset=utf-8',
    '',
  ),
  fc.jsonValue({ maxDepth: 1 }),
  fc.constant(undefined),
);
const bodyLike = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    { title: fc.oneof(text(220), fc.jsonValue({ maxDepth: 1 })), contentType: contentTypeLike },
    { requiredKeys: [] },
  ),
  fc
    .tuple(
      fc.record({ title: text(220) }),
      fc.dictionary(fc.constantFrom('status', 'userId', 'objectKey', 'imageId', 'x'), fc.string(), { maxKeys: 1 }),
    )
    .map(([body, extra]) => ({ ...extra, ...body })),
);

async function acceptedOrBadRequest(body: unknown): Promise<CreateImageDto | undefined> {
  try {
    return (await validate(body)) as CreateImageDto;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return undefined;
  }
}

describe('CreateImageDto through the app’s ValidationPipe (property-based)', () => {
  it(`accepts a JSON value only with the documented constraints holding, else refuses it with a 400 (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(bodyLike, async (body) => {
        const accepted = await acceptedOrBadRequest(body);
        if (accepted === undefined) return;

        expect(accepted).toBeInstanceOf(CreateImageDto);
        expect(Object.keys(accepted).every((key) => key === 'title' || key === 'contentType')).toBe(true);
        expect(typeof accepted.title).toBe('string');
        expect(codePoints(accepted.title)).toBeGreaterThanOrEqual(1);
        expect(codePointsWithoutSelectors(accepted.title)).toBeLessThanOrEqual(200);
        expect(accepted.title).toMatch(/[\p{L}\p{N}\p{P}\p{S}]/u);
        if (accepted.contentType !== undefined && accepted.contentType !== null) {
          expect(IMAGE_CONTENT_TYPES).toContain(accepted.contentType);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`accepts every body within the constraints, unchanged (${RUNS} runs)`, async () => {
    const title = text(200).filter(
      (value) =>
        codePointsWithoutSelectors(value) >= 1 && codePoints(value) <= 200 && /[\p{L}\p{N}\p{P}\p{S}]/u.test(value),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.record({ title, contentType: fc.constantFrom(...IMAGE_CONTENT_TYPES) }, { requiredKeys: ['title'] }),
        async (body) => {
          await expect(validate(body)).resolves.toEqual(Object.assign(new CreateImageDto(), body));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
