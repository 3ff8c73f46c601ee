import { createValidationPipe } from '@app/validation';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateGroupDto } from './create-group.dto.js';

const RUNS = 500;
const pipe = createValidationPipe();
const validate = (body: unknown) => pipe.transform(body, { type: 'body', metatype: CreateGroupDto });

/**
 * class-validator counts code points, less the emoji presentation selectors that follow a character: its count lies
 * between the code points without any selector and all the code points.
 */
const codePoints = (text: string) => [...text].length;
const codePointsWithoutSelectors = (text: string) =>
  [...text].filter((point) => point !== '\uFE0E' && point !== '\uFE0F').length;
/** Any code point, plus the ones that break naive code: lone surrogates, NUL, bidi overrides, zero-width, spaces. */
const char = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\uD800', '\uDFFF', '\u0000', '\u202E', '\u200B', '\uFE0F', ' ', '\t', '\u3000', '🦊'),
);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });
const fieldValue = fc.oneof(text(1100), fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
const bodyLike = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ name: fieldValue, description: fieldValue }, { requiredKeys: [] }),
  fc
    .tuple(
      fc.record({ name: text(120) }),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
    )
    .map(([body, extra]) => ({ ...extra, ...body })),
);

/** Resolves to the accepted DTO, or undefined when refused with a BadRequestException; anything else fails. */
async function acceptedOrBadRequest(body: unknown): Promise<CreateGroupDto | undefined> {
  try {
    return (await validate(body)) as CreateGroupDto;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return undefined;
  }
}

describe('CreateGroupDto through the app’s ValidationPipe (property-based)', () => {
  it(`accepts a JSON value only with the documented constraints holding, else refuses it with a 400 (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(bodyLike, async (body) => {
        const accepted = await acceptedOrBadRequest(body);
        if (accepted === undefined) return;

        expect(accepted).toBeInstanceOf(CreateGroupDto);
        expect(Object.keys(accepted).every((key) => key === 'name' || key === 'description')).toBe(true);
        expect(typeof accepted.name).toBe('string');
        expect(codePoints(accepted.name)).toBeGreaterThanOrEqual(1);
        expect(codePointsWithoutSelectors(accepted.name)).toBeLessThanOrEqual(100);
        expect(accepted.name).toMatch(/[\p{L}\p{N}\p{P}\p{S}]/u);
        if (accepted.description !== undefined && accepted.description !== null) {
          expect(typeof accepted.description).toBe('string');
          expect(codePointsWithoutSelectors(accepted.description)).toBeLessThanOrEqual(1000);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`accepts every body within the constraints, unchanged (${RUNS} runs)`, async () => {
    const name = text(100).filter(
      (value) =>
        codePointsWithoutSelectors(value) >= 1 && codePoints(value) <= 100 && /[\p{L}\p{N}\p{P}\p{S}]/u.test(value),
    );
    const description = text(1000).filter((value) => codePoints(value) <= 1000);

    await fc.assert(
      fc.asyncProperty(fc.record({ name, description }, { requiredKeys: ['name'] }), async (body) => {
        await expect(validate(body)).resolves.toEqual(Object.assign(new CreateGroupDto(), body));
      }),
      { numRuns: RUNS },
    );
  });
});
