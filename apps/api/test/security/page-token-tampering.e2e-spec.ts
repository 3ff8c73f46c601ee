import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { createTestApp } from '../test-app.js';

const RUNS = 150;
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
/** The messages a refused nextKey may carry (several, joined by "; ", when it breaks several rules). */
const REFUSALS = new Set([
  'nextKey is not a token of this listing',
  'nextKey must be a token returned by a previous page',
  'nextKey must be shorter than or equal to 1024 characters',
]);

const decode = (token: string) =>
  JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Tokens made from a real one: flipped, cut and extended characters, edited JSON, other listings' tokens, noise. */
function tamperedTokens(token: string, othersTokens: string[], foreignValues: string[]): fc.Arbitrary<string> {
  const base64urlText = (maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength });
  const key = decode(token);
  const attribute = fc.constantFrom(...Object.keys(key));
  const anyJson = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.dictionary(fc.string(), fc.string()),
    fc.array(fc.string()),
  );
  return fc.oneof(
    fc.tuple(fc.nat(), fc.constantFrom(...BASE64URL)).map(([at, char]) => {
      const index = at % token.length;
      return token.slice(0, index) + char + token.slice(index + 1);
    }),
    fc.nat().map((length) => token.slice(0, length % token.length)),
    base64urlText(1200).map((suffix) => token + suffix),
    fc
      .tuple(attribute, fc.oneof(fc.constantFrom(...foreignValues), fc.string({ maxLength: 300 }), anyJson))
      .map(([name, value]) => encode({ ...key, [name]: value })),
    attribute.map((name) => encode(Object.fromEntries(Object.entries(key).filter(([other]) => other !== name)))),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string())
      .map(([name, value]) => encode({ ...key, [name]: value })),
    fc.constantFrom(...othersTokens),
    base64urlText(200),
    fc.string({ maxLength: 200 }),
  );
}

describe('tampered page tokens against the real API (e2e, property-based)', () => {
  let app: NestExpressApplication;
  let groupA: string;
  let groupB: string;
  let imagesOfA: string;
  let imagesOfB: string;
  let groups: string;

  beforeAll(async () => {
    app = await createTestApp();
    const bob = await mintTestToken('bob');
    const createGroup = async (name: string) => {
      const groupId: string = (
        await request(app.getHttpServer())
          .post('/groups')
          .set('Authorization', `Bearer ${bob}`)
          .send({ name })
          .expect(201)
      ).body.newItem.id;
      for (const title of ['One', 'Two', 'Three']) {
        await request(app.getHttpServer())
          .post(`/groups/${groupId}/images`)
          .set('Authorization', `Bearer ${bob}`)
          .send({ title })
          .expect(201);
      }
      return groupId;
    };
    [groupA, groupB] = [await createGroup('Paged A'), await createGroup('Paged B')];
    const firstPageToken = async (path: string) =>
      (await request(app.getHttpServer()).get(path).query({ limit: 1 }).expect(200)).body.nextKey as string;
    [imagesOfA, imagesOfB, groups] = await Promise.all([
      firstPageToken(`/groups/${groupA}/images`),
      firstPageToken(`/groups/${groupB}/images`),
      firstPageToken('/groups'),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  /** 400 with the whole body and only nextKey messages, or a 200 whose items pass `belongs`; never anything else. */
  async function expectRefusedOrConfined(
    path: string,
    nextKey: string,
    belongs: (item: Record<string, unknown>) => boolean,
  ) {
    const response = await request(app.getHttpServer()).get(path).query({ limit: 2, nextKey });
    if (response.status === 200) {
      expect(response.body.items.every(belongs)).toBe(true);
      return;
    }
    expect(response.status).toBe(400);
    expect(Object.keys(response.body).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    for (const message of String(response.body.message).split('; ')) expect(REFUSALS).toContain(message);
  }

  it(`answers ${RUNS} tampered tokens of a group’s image listing 400, or a page of that group only`, async () => {
    await fc.assert(
      fc.asyncProperty(tamperedTokens(imagesOfA, [imagesOfB, groups], [groupB]), (nextKey) =>
        expectRefusedOrConfined(`/groups/${groupA}/images`, nextKey, (image) => image.groupId === groupA),
      ),
      { numRuns: RUNS },
    );
  });

  it(`answers ${RUNS} tampered tokens of the group listing 400, or a page of groups`, async () => {
    await fc.assert(
      fc.asyncProperty(tamperedTokens(groups, [imagesOfA], ['images', groupA]), (nextKey) =>
        expectRefusedOrConfined('/groups', nextKey, (group) => typeof group.id === 'string' && !('groupId' in group)),
      ),
      { numRuns: RUNS },
    );
  });
});
