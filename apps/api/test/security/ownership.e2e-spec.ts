import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { readFixture } from '../../../../tools/test/fixtures.js';
import { waitForImage, type ImageBody } from '../pipeline-helpers.js';
import { createTestApp } from '../test-app.js';
import { errorBody } from './security-helpers.js';

const GROUP_KEYS = ['description', 'id', 'name', 'timestamp', 'userId'];
const IMAGE_KEYS = ['groupId', 'imageId', 'imageUrl', 'status', 'timestamp', 'title', 'userId'];
const IMAGE_KEYS_BY_STATUS: Record<ImageBody['status'], string[]> = {
  PENDING: IMAGE_KEYS,
  CLASSIFIED: [...IMAGE_KEYS, 'classLabel', 'classifiedAt', 'confidence', 'labels', 'model', 'thumbnailUrl'],
  FAILED: [...IMAGE_KEYS, 'classifiedAt', 'failure'],
};
/** Stored attributes that only the service uses: no response may carry them, at any depth. */
const INTERNAL_ATTRIBUTES = [
  'claimToken',
  'claimedAt',
  'labelWords',
  'objectKey',
  'unfinishedStatus',
  'thumbnailKey',
  'timestampId',
  'imageCount',
  'listing',
  'groupWord',
];

const sortedKeys = (value: object) => Object.keys(value).sort();

describe('ownership and what the API shows (e2e)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let bob: string;
  let group: Record<string, unknown>;
  let pending: ImageBody;
  let classified: ImageBody;
  let failed: ImageBody;
  let bobsImage: ImageBody;
  /** Every 2xx body this file received, checked at the end for internal attributes. */
  const seenBodies: unknown[] = [];

  const api = () => request(app.getHttpServer());
  const as = (token: string, test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  const read = async (test: request.Test, status = 200) => {
    const response = await test.expect(status);
    seenBodies.push(response.body);
    return response.body;
  };
  const upload = async (token: string, bytes: Buffer, contentType?: 'image/jpeg') => {
    const created = await read(
      as(token, api().post(`/groups/${group.id}/images`)).send({
        title: 'Owned',
        ...(contentType === undefined ? {} : { contentType }),
      }),
      201,
    );
    const put = await fetch(created.uploadUrl, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    });
    expect(put.status).toBe(200);
    return created.newItem as ImageBody;
  };

  beforeAll(async () => {
    app = await createTestApp();
    [alice, bob] = await Promise.all([mintTestToken('alice'), mintTestToken('bob')]);
    group = (await read(as(alice, api().post('/groups')).send({ name: 'Owned by Alice' }), 201)).newItem;
    pending = (await read(as(alice, api().post(`/groups/${group.id}/images`)).send({ title: 'Never uploaded' }), 201))
      .newItem;
    const squirrel = await readFixture('squirrel.jpg');
    const [classifiedImage, failedImage, bobsUpload] = await Promise.all([
      upload(alice, squirrel, 'image/jpeg'),
      upload(alice, Buffer.from('<html>not a photo</html>')),
      upload(bob, squirrel, 'image/jpeg'),
    ]);
    [classified, failed, bobsImage] = await Promise.all([
      waitForImage(app, classifiedImage.imageId, (image) => image.thumbnailUrl !== undefined),
      waitForImage(app, failedImage.imageId),
      waitForImage(app, bobsUpload.imageId),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('refusals to anyone but the owner', () => {
    it.each<[string, () => request.Test, string]>([
      [
        'Bob deleting Alice’s group',
        () => as(bob, api().delete(`/groups/${group.id}`)),
        'Only the owner of a group may delete it',
      ],
      [
        'Bob deleting Alice’s image',
        () => as(bob, api().delete(`/images/${classified.imageId}`)),
        'Only the owner of an image or of its group may delete it',
      ],
      [
        'Bob re-classifying Alice’s image',
        () => as(bob, api().post(`/images/${classified.imageId}/classification`)),
        'Only the owner of an image may re-classify it',
      ],
      [
        'Alice re-classifying Bob’s image in her group',
        () => as(alice, api().post(`/images/${bobsImage.imageId}/classification`)),
        'Only the owner of an image may re-classify it',
      ],
    ])('answers %s with 403 and the whole body, and changes nothing', async (_case, send, message) => {
      const before = await snapshot();

      const response = await send();

      expect({ status: response.status, body: response.body }).toEqual({ status: 403, body: errorBody(403, message) });
      await expect(snapshot()).resolves.toEqual(before);
    });

    it('lets the group’s owner remove Bob’s image from her group (she could not empty it otherwise)', async () => {
      const bobsOther = await upload(bob, Buffer.from('not a photo either'));

      await as(alice, api().delete(`/images/${bobsOther.imageId}`)).expect(204);

      await api().get(`/images/${bobsOther.imageId}`).expect(404);
    });

    it('still serves the photos a refused delete was aimed at', async () => {
      await as(bob, api().delete(`/images/${classified.imageId}`)).expect(403);
      const current = (await read(api().get(`/images/${classified.imageId}`))).item as ImageBody;

      expect((await fetch(current.imageUrl)).status).toBe(200);
      expect((await fetch(current.thumbnailUrl!)).status).toBe(200);
    });

    /** What a refused request could have changed: the group, the images and their classification. */
    async function snapshot() {
      const [groupBody, ...images] = await Promise.all([
        api().get(`/groups/${group.id}`),
        ...[classified, bobsImage].map((image) => api().get(`/images/${image.imageId}`)),
      ]);
      // Presigned URLs are signed anew on each read; everything else must be unchanged.
      const withoutUrls = ({ imageUrl: _imageUrl, thumbnailUrl: _thumbnailUrl, ...rest }: ImageBody) => rest;
      return { group: groupBody.body, images: images.map((image) => withoutUrls(image.body.item)) };
    }
  });

  describe('exactly the documented fields, in every response', () => {
    it('shows a group with its five fields, created, read and listed', async () => {
      const created = await read(
        as(alice, api().post('/groups')).send({ name: 'Fields', description: 'Exact keys' }),
        201,
      );
      const fetched = await read(api().get(`/groups/${created.newItem.id}`));
      const listed = await read(api().get('/groups').query({ limit: 1 }));

      expect(sortedKeys(created)).toEqual(['newItem']);
      expect(sortedKeys(created.newItem)).toEqual(GROUP_KEYS);
      expect(sortedKeys(fetched)).toEqual(['item']);
      expect(sortedKeys(fetched.item)).toEqual(GROUP_KEYS);
      expect(sortedKeys(listed)).toEqual(['items', 'nextKey']);
      for (const item of listed.items) expect(sortedKeys(item)).toEqual(GROUP_KEYS);
    });

    it('shows a new image with its fields and an upload URL, nothing more', async () => {
      const created = await read(
        as(alice, api().post(`/groups/${group.id}/images`)).send({ title: 'Typed', contentType: 'image/png' }),
        201,
      );

      expect(sortedKeys(created)).toEqual(['newItem', 'uploadUrl']);
      expect(sortedKeys(created.newItem)).toEqual([...IMAGE_KEYS, 'contentType'].sort());
    });

    it.each<[ImageBody['status'], () => ImageBody, string[]]>([
      ['PENDING', () => pending, []],
      ['CLASSIFIED', () => classified, ['contentType']],
      ['FAILED', () => failed, []],
    ])(
      'shows a %s image with the fields of its state, alone and in its group’s listing',
      async (status, image, extra) => {
        const expected = [...IMAGE_KEYS_BY_STATUS[status], ...extra].sort();

        const fetched = await read(api().get(`/images/${image().imageId}`));
        const listed = await read(api().get(`/groups/${group.id}/images`).query({ limit: 100 }));

        expect(fetched.item.status).toBe(status);
        expect(sortedKeys(fetched)).toEqual(['item']);
        expect(sortedKeys(fetched.item)).toEqual(expected);
        const inListing = listed.items.find((item: ImageBody) => item.imageId === image().imageId);
        expect(sortedKeys(inListing)).toEqual(expected);
      },
    );

    it('shows labels and failures with their own fields only', () => {
      for (const label of classified.labels!) expect(sortedKeys(label)).toEqual(['classId', 'confidence', 'label']);
      expect(sortedKeys(failed.failure!)).toEqual(['errorType', 'reason']);
    });

    it('shows label search results and a re-classification with the same fields', async () => {
      const search = await read(api().get('/images').query({ label: 'squirrel', limit: 100 }));
      const inGroup = await read(api().get(`/groups/${group.id}/images`).query({ label: 'squirrel' }));
      const reclassified = await read(as(alice, api().post(`/images/${classified.imageId}/classification`)), 202);

      // A re-classification is PENDING and keeps its labels until the new ones replace them.
      expect(reclassified.item.status).toBe('PENDING');
      for (const item of [...search.items, ...inGroup.items, reclassified.item] as ImageBody[]) {
        const allowed = [
          ...IMAGE_KEYS_BY_STATUS[item === reclassified.item ? 'CLASSIFIED' : item.status],
          'contentType',
        ];
        expect(Object.keys(item).filter((key) => !allowed.includes(key))).toEqual([]);
        expect(Object.keys(item)).toEqual(expect.arrayContaining(IMAGE_KEYS));
      }
      expect(sortedKeys(reclassified)).toEqual(['item']);
    });

    it('never carries a stored-only attribute, at any depth, in any response of this file', () => {
      const everything = JSON.stringify(seenBodies);

      expect(seenBodies.length).toBeGreaterThan(10);
      for (const attribute of INTERNAL_ATTRIBUTES) expect(everything, attribute).not.toContain(`"${attribute}"`);
    });
  });

  describe('presigned URLs are bound to one object and one use', () => {
    const fetchStatus = async (url: string | URL, init?: RequestInit) => (await fetch(url, init)).status;

    it('serves an untouched image URL (the control)', async () => {
      await expect(fetchStatus(classified.imageUrl)).resolves.toBe(200);
    });

    it('refuses an image URL whose key was changed to another image’s', async () => {
      const tampered = new URL(classified.imageUrl);
      tampered.pathname = tampered.pathname.replace(classified.imageId, failed.imageId);

      await expect(fetchStatus(tampered)).resolves.toBe(403);
    });

    it('refuses a thumbnail URL whose key was changed to another image’s', async () => {
      const bobsThumbnail = (await waitForImage(app, bobsImage.imageId, (image) => image.thumbnailUrl !== undefined))
        .thumbnailUrl!;
      const tampered = new URL(classified.thumbnailUrl!);
      tampered.pathname = new URL(bobsThumbnail).pathname;

      await expect(fetchStatus(tampered)).resolves.toBe(403);
    });

    it('refuses another image’s URL carrying this URL’s signature', async () => {
      const grafted = new URL(failed.imageUrl);
      grafted.searchParams.set('X-Amz-Signature', new URL(classified.imageUrl).searchParams.get('X-Amz-Signature')!);

      await expect(fetchStatus(grafted)).resolves.toBe(403);
    });

    it('refuses an image URL whose lifetime was stretched', async () => {
      const stretched = new URL(classified.imageUrl);
      stretched.searchParams.set('X-Amz-Expires', '604800');

      await expect(fetchStatus(stretched)).resolves.toBe(403);
    });

    it('refuses an image URL used to overwrite the photo', async () => {
      await expect(fetchStatus(classified.imageUrl, { method: 'PUT', body: 'overwritten' })).resolves.toBe(403);
      await expect(fetchStatus(classified.imageUrl, { method: 'DELETE' })).resolves.toBe(403);
    });
  });
});
