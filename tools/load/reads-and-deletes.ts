import { HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import type { ImageRecord } from '@app/images';
import type { CreatedImage } from './image-audit.js';
import type { ApiExchange, RecordingApiClient } from './recording-api-client.js';
import { runConcurrently } from './run-concurrently.js';

/** Every DELETE_EVERY-th acknowledged image is deleted by its uploader; the others are read while that happens. */
export const DELETE_EVERY = 4;

/** What the reads and deletes under DynamoDB faults saw. */
export interface ReadsAndDeletes {
  exchanges: ApiExchange[];
  deleted: string[];
  survivors: CreatedImage[];
  /** A live image answered 404, or listed nowhere it should be. */
  liveNotFound: string[];
  /** Deleted (204) but still answered 200 afterwards. */
  deletedStillServed: string[];
  /** Objects (photo or thumbnail) of deleted images still in the bucket. */
  objectsLeft: string[];
}

interface ReadsAndDeletesInput {
  client: RecordingApiClient;
  groupId: string;
  created: readonly CreatedImage[];
  /** The group's records before: where each image's objects are. */
  records: readonly ImageRecord[];
  tokenFor: (uploaderIndex: number) => Promise<string>;
  concurrency: number;
  s3: { endpoint: string; region: string; bucket: string };
}

/**
 * Every acknowledged image read (GET /images/:id) and every DELETE_EVERY-th deleted by its owner, all at once; each
 * worker also reads the group's first page and a label search of its image's label. Then every deleted image is
 * asked for again (404) and its objects looked for in the bucket (gone).
 */
export async function readAndDelete(input: ReadsAndDeletesInput): Promise<ReadsAndDeletes> {
  const { client, groupId, created, records } = input;
  const doomed = new Set(created.filter((_image, index) => index % DELETE_EVERY === 0).map((image) => image.imageId));
  const labelOf = new Map(records.map((record) => [record.imageId, record.labelWords?.[0]]));
  const liveNotFound: string[] = [];
  const deleted: string[] = [];

  await runConcurrently(created.length, input.concurrency, async (index) => {
    const image = created[index]!;
    if (doomed.has(image.imageId)) {
      const answer = await client.callRetryingUnavailable({
        method: 'DELETE',
        path: `/images/${image.imageId}`,
        route: 'DELETE /images/:imageId',
        token: await input.tokenFor(uploaderIndexOf(image)),
      });
      // After a reset, the first attempt may have deleted it: 404 then is the image being gone, as asked.
      if (answer.status === 204 || (answer.status === 404 && answer.afterReset === true)) deleted.push(image.imageId);
      return;
    }
    const one = await client.callRetryingUnavailable({
      method: 'GET',
      path: `/images/${image.imageId}`,
      route: 'GET /images/:imageId',
    });
    if (one.status === 404) liveNotFound.push(`${image.imageId} (GET /images/:imageId)`);
    await client.callRetryingUnavailable({
      method: 'GET',
      path: `/groups/${groupId}/images?limit=20`,
      route: 'GET /groups/:groupId/images',
    });
    const word = labelOf.get(image.imageId);
    if (word !== undefined) {
      const search = await client.callRetryingUnavailable({
        method: 'GET',
        path: `/images?label=${encodeURIComponent(word)}&limit=100`,
        route: 'GET /images?label',
      });
      if (search.status === 200 && !pageHolds(search.body, image.imageId) && !hasNextPage(search.body)) {
        liveNotFound.push(`${image.imageId} (label search "${word}")`);
      }
    }
  });

  const deletedStillServed: string[] = [];
  for (const imageId of deleted) {
    const answer = await client.callRetryingUnavailable({
      method: 'GET',
      path: `/images/${imageId}`,
      route: 'GET /images/:imageId (deleted)',
    });
    if (answer.status !== 404) deletedStillServed.push(`${imageId} answered ${answer.status}`);
  }
  const objectsLeft = await objectsStillStored(
    records
      .filter((record) => deleted.includes(record.imageId))
      .flatMap((record) => [record.objectKey, record.thumbnailKey ?? []].flat()),
    input.s3,
  );
  return {
    exchanges: client.exchanges,
    deleted,
    survivors: created.filter((image) => !doomed.has(image.imageId)),
    liveNotFound,
    deletedStillServed,
    objectsLeft,
  };
}

/** The uploads are titled `Load <index>`, each by its own user `load-uploader-<index>`. */
function uploaderIndexOf(image: CreatedImage): number {
  return Number(image.title.replace(/^Load /, ''));
}

function pageHolds(body: unknown, imageId: string): boolean {
  const items = (body as { items?: { imageId: string }[] } | undefined)?.items ?? [];
  return items.some((item) => item.imageId === imageId);
}

function hasNextPage(body: unknown): boolean {
  return typeof (body as { nextKey?: unknown } | undefined)?.nextKey === 'string';
}

async function objectsStillStored(
  keys: string[],
  { endpoint, region, bucket }: ReadsAndDeletesInput['s3'],
): Promise<string[]> {
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true });
  try {
    const left: string[] = [];
    for (const key of keys) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        left.push(key);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
    }
    return left;
  } finally {
    s3.destroy();
  }
}
