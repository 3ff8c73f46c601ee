import { systemRetryTiming, ThrottleSafeDynamoDb, type AwsConfig } from '@app/aws';
import { InvalidInputError } from '@app/errors';
import { GROUP_IMAGE_SHARDS, GroupsService } from '@app/groups';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageRecord } from './image.js';
import { imageItem } from './image-key.js';
import type { ImageLabelsRepository } from './image-labels.repository.js';
import type { ImageStorage } from './image-storage.js';
import type { ImagesConfig } from './images.config.js';
import { ImagesRepository } from './images.repository.js';
import { ImagesService } from './images.service.js';

const RUNS = 150;
const dynamoDbMock = mockClient(DynamoDBDocumentClient);

function record(groupId: string, timestampId: string): ImageRecord {
  const [timestamp, imageId] = timestampId.split('#') as [string, string];
  return {
    groupId,
    timestampId,
    timestamp,
    imageId,
    userId: 'alice',
    title: imageId,
    status: 'PENDING',
    objectKey: `images/${imageId}`,
  };
}

/**
 * DynamoDB's Query on the images table: one `groupShard` partition, newest first, strictly below `:below` — and,
 * like DynamoDB at its 1 MB cap, sometimes fewer items than asked with a LastEvaluatedKey, or a LastEvaluatedKey
 * when nothing is left.
 */
function storeImages(items: ReturnType<typeof imageItem<ImageRecord>>[], quirk: () => boolean) {
  dynamoDbMock.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    expect(input.ScanIndexForward).toBe(false);
    // The fake reads the values; the expression must say what it does with them.
    expect(input.KeyConditionExpression).toBe(
      values[':below'] === undefined ? 'groupShard = :groupShard' : 'groupShard = :groupShard AND timestampId < :below',
    );
    const below = items
      .filter(
        (item) =>
          item.groupShard === values[':groupShard'] &&
          (values[':below'] === undefined || item.timestampId < values[':below']),
      )
      .sort((a, b) => (a.timestampId < b.timestampId ? 1 : -1));
    const cut = quirk() ? Math.max(1, Math.floor(input.Limit! / 2)) : input.Limit!;
    const page = below.slice(0, cut);
    const more = below.length > page.length || (page.length === cut && quirk());
    return {
      Items: page,
      LastEvaluatedKey:
        more && page.length > 0
          ? { groupShard: page.at(-1)!.groupShard, timestampId: page.at(-1)!.timestampId }
          : undefined,
    };
  });
}

function service(): ImagesService {
  const config = { tableName: 'images', listingCacheTtlMs: 0 } as ImagesConfig;
  const groups = { get: async (id: string) => ({ id }) } as unknown as GroupsService;
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const awsConfig = {
    dynamoDbMaxAttempts: 3,
    dynamoDbRetry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1000 },
  } as AwsConfig;
  const throttleSafe = new ThrottleSafeDynamoDb(dynamoDb, awsConfig, systemRetryTiming);
  const repository = new ImagesRepository(dynamoDb, config, groups, {} as ImageLabelsRepository, throttleSafe);
  const storage = { downloadUrl: async (key: string) => `https://s3/${key}` } as unknown as ImageStorage;
  return new ImagesService(repository, {} as ImageLabelsRepository, storage, groups, config);
}

const listingArbitrary = fc.record({
  // Positions of two groups' images: `<timestamp>#<imageId>`, many in the same millisecond.
  ownTimes: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 70 }),
  otherTimes: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
  pageSizes: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
  quirkSeed: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
});

const timestampId = (group: string, time: number) =>
  `2026-12-04T00:00:00.${String(time % 1000).padStart(3, '0')}Z#${group}-i${time}`;

describe(`a group's images merged across its ${GROUP_IMAGE_SHARDS} write shards, paged through the API's tokens (property-based)`, () => {
  afterEach(() => {
    dynamoDbMock.reset();
  });

  it(`walks every image of the group exactly once, newest first, and no other group's (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(listingArbitrary, async ({ ownTimes, otherTimes, pageSizes, quirkSeed }) => {
        dynamoDbMock.reset();
        const own = ownTimes.map((time) => imageItem(record('g1', timestampId('g1', time))));
        const other = otherTimes.map((time) => imageItem(record('g2', timestampId('g2', time))));
        let call = 0;
        storeImages([...own, ...other], () => quirkSeed[call++ % quirkSeed.length]!);
        const images = service();

        const walked: string[] = [];
        let nextKey: string | undefined;
        for (let page = 0; page < 200; page += 1) {
          const limit = pageSizes[page % pageSizes.length]!;
          const result = await images.listForGroup('g1', limit, nextKey);
          expect(result.items.length).toBeLessThanOrEqual(limit);
          if (result.items.length < limit) expect(result.nextKey).toBeUndefined();
          walked.push(...result.items.map((item) => item.imageId));
          if (result.nextKey === undefined) break;
          // The token is where the page ended, in the listing's own attributes.
          expect(JSON.parse(Buffer.from(result.nextKey, 'base64url').toString('utf8'))).toEqual({
            groupId: 'g1',
            timestampId: expect.any(String),
          });
          nextKey = result.nextKey;
        }
        const newestFirst = [...own]
          .sort((a, b) => (a.timestampId < b.timestampId ? 1 : -1))
          .map((item) => item.imageId);
        expect(walked).toEqual(newestFirst);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a token of another group, a token with attributes added or missing, and one that is not a token', async () => {
    storeImages([], () => false);
    const images = service();
    const token = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

    for (const tampered of [
      token({ groupId: 'g2', timestampId: '2026-12-04T00:00:00.000Z#g2-i1' }),
      token({ groupId: 'g1', timestampId: '2026-12-04T00:00:00.000Z#g1-i1', groupShard: 'g2#3' }),
      token({ groupShard: 'g1#3', timestampId: '2026-12-04T00:00:00.000Z#g1-i1' }),
      token({ groupId: 'g1' }),
      'not a token',
    ]) {
      await expect(images.listForGroup('g1', 5, tampered), tampered).rejects.toThrow(InvalidInputError);
    }
    expect(dynamoDbMock.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
