import { OrphanObjectSweep } from '@app/images';
import { HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { createTestApp } from './test-app.js';

/** S3 answering DeleteObject with a 503 while `failing` is set, as a throttled or unavailable S3 would. */
function failDeletesWhile(s3: S3Client, state: { failing: boolean }): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (state.failing && context.commandName === 'DeleteObjectCommand') {
        throw Object.assign(new Error('Please reduce your request rate.'), {
          name: 'SlowDown',
          $metadata: { httpStatusCode: 503 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failDeletesForTest' },
  );
}

describe('image delete order and the orphan sweep (e2e)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let groupId: string;
  let squirrel: Buffer;
  const s3Deletes = { failing: false };

  beforeAll(async () => {
    app = await createTestApp();
    failDeletesWhile(app.get(S3Client), s3Deletes);
    [alice, squirrel] = await Promise.all([mintTestToken('alice'), readFixture('squirrel.jpg')]);
    const group = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${alice}`)
      .send({ name: 'Sweep' })
      .expect(201);
    groupId = group.body.newItem.id;
  });

  afterAll(async () => {
    await app.close();
  });

  async function uploadedImage(title: string): Promise<string> {
    const created = await request(app.getHttpServer())
      .post(`/groups/${groupId}/images`)
      .set('Authorization', `Bearer ${alice}`)
      .send({ title, contentType: 'image/jpeg' })
      .expect(201);
    const put = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      body: squirrel,
      headers: { 'Content-Type': 'image/jpeg' },
    });
    expect(put.status).toBe(200);
    return created.body.newItem.imageId;
  }

  async function stored(key: string): Promise<boolean> {
    const s3 = app.get(S3Client);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: process.env.IMAGES_BUCKET, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  it('answers a delete whose photo delete fails 204 once the record is gone, and never serves the image again', async () => {
    const imageId = await uploadedImage('Photo delete fails');

    s3Deletes.failing = true;
    try {
      await request(app.getHttpServer())
        .delete(`/images/${imageId}`)
        .set('Authorization', `Bearer ${alice}`)
        .expect(204);
    } finally {
      s3Deletes.failing = false;
    }

    await expect(stored(`images/${imageId}`)).resolves.toBe(true);
    const again = await request(app.getHttpServer()).get(`/images/${imageId}`).expect(404);
    expect(again.body).toEqual({ statusCode: 404, error: 'Not Found', message: `Image ${imageId} does not exist` });
  });

  it('sweeps the photo of a deleted image and leaves a live image’s photo, never touching recent objects', async () => {
    const live = await uploadedImage('Live');
    const orphan = await uploadedImage('Orphan');
    s3Deletes.failing = true;
    try {
      await request(app.getHttpServer())
        .delete(`/images/${orphan}`)
        .set('Authorization', `Bearer ${alice}`)
        .expect(204);
    } finally {
      s3Deletes.failing = false;
    }
    const sweep = app.get(OrphanObjectSweep, { strict: false });

    const tooRecent = await sweep.run({ maxObjects: 10_000 });
    expect(tooRecent.deleted).toEqual([]);
    await expect(stored(`images/${orphan}`)).resolves.toBe(true);

    const swept = await sweep.run({ maxObjects: 10_000, minAgeSeconds: 0, now: new Date(Date.now() + 1_000) });

    expect(swept.deleted).toContain(`images/${orphan}`);
    expect(swept.deleted).not.toContain(`images/${live}`);
    await expect(stored(`images/${orphan}`)).resolves.toBe(false);
    await expect(stored(`images/${live}`)).resolves.toBe(true);
  });

  it('deletes the photo with the record when S3 answers', async () => {
    const imageId = await uploadedImage('Plain delete');

    await request(app.getHttpServer()).delete(`/images/${imageId}`).set('Authorization', `Bearer ${alice}`).expect(204);

    await expect(stored(`images/${imageId}`)).resolves.toBe(false);
  });
});
