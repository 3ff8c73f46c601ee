import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { waitForImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

describe('images (e2e)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let bob: string;
  let groupId: string;
  let squirrel: Buffer;

  beforeAll(async () => {
    app = await createTestApp();
    [alice, bob, squirrel] = await Promise.all([
      mintTestToken('alice'),
      mintTestToken('bob'),
      readFixture('squirrel.jpg'),
    ]);
    const group = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${alice}`)
      .send({ name: 'Wildlife' })
      .expect(201);
    groupId = group.body.newItem.id;
  });

  afterAll(async () => {
    await app.close();
  });

  const createImage = (body: object, token = alice, group = groupId) =>
    request(app.getHttpServer()).post(`/groups/${group}/images`).set('Authorization', `Bearer ${token}`).send(body);

  it('creates a PENDING image with a presigned upload URL valid for 300 s', async () => {
    const response = await createImage({ title: 'Squirrel', contentType: 'image/jpeg' }).expect(201);

    expect(response.body).toEqual({
      newItem: {
        groupId,
        timestamp: expect.any(String),
        imageId: expect.any(String),
        userId: 'alice',
        title: 'Squirrel',
        status: 'PENDING',
        contentType: 'image/jpeg',
        imageUrl: expect.any(String),
      },
      uploadUrl: expect.any(String),
    });
    expect(new URL(response.body.uploadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('uploads a photo to the presigned URL and serves the same bytes back through imageUrl', async () => {
    const { newItem, uploadUrl } = (await createImage({ title: 'Squirrel', contentType: 'image/jpeg' }).expect(201))
      .body;

    const upload = await fetch(uploadUrl, { method: 'PUT', body: squirrel, headers: { 'Content-Type': 'image/jpeg' } });
    expect(upload.status).toBe(200);

    const item = (await request(app.getHttpServer()).get(`/images/${newItem.imageId}`).expect(200)).body.item;
    const download = await fetch(item.imageUrl);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(squirrel)).toBe(true);
  });

  it('works like the original client: only a title, then a PUT with no Content-Type', async () => {
    const { newItem, uploadUrl } = (await createImage({ title: 'Untyped' }).expect(201)).body;
    expect(newItem.contentType).toBeUndefined();

    const upload = await fetch(uploadUrl, { method: 'PUT', body: new Uint8Array(squirrel) });
    expect(upload.status).toBe(200);

    const download = await fetch(newItem.imageUrl);
    expect(Buffer.from(await download.arrayBuffer()).equals(squirrel)).toBe(true);
  });

  it('takes the photo through PUT /images/{imageId}/photo, stores the same object and the pipeline labels it', async () => {
    const { newItem } = (await createImage({ title: 'Through the API', contentType: 'image/jpeg' }).expect(201)).body;

    const uploaded = await request(app.getHttpServer())
      .put(`/images/${newItem.imageId}/photo`)
      .set('Authorization', `Bearer ${alice}`)
      .set('Content-Type', 'image/jpeg')
      .send(squirrel)
      .expect(200);

    expect(uploaded.body).toEqual({ item: { ...newItem, imageUrl: expect.any(String) } });
    const download = await fetch(uploaded.body.item.imageUrl);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(squirrel)).toBe(true);
    await expect(waitForImage(app, newItem.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger',
    });
  });

  it('takes one photo per image: a second upload is a 409 and keeps the first', async () => {
    const { newItem } = (await createImage({ title: 'Once' }).expect(201)).body;
    const upload = () =>
      request(app.getHttpServer())
        .put(`/images/${newItem.imageId}/photo`)
        .set('Authorization', `Bearer ${alice}`)
        .set('Content-Type', 'image/jpeg');
    await upload().send(squirrel).expect(200);

    const second = await upload().send(Buffer.concat([squirrel, Buffer.from('second')]));

    expect({ status: second.status, body: second.body }).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: `Image ${newItem.imageId} already has a photo` },
    });
    const download = await fetch(newItem.imageUrl);
    expect(Buffer.from(await download.arrayBuffer()).equals(squirrel)).toBe(true);
  });

  it('lets only the image’s owner upload its photo', async () => {
    const { newItem } = (await createImage({ title: 'Alice’s' }).expect(201)).body;

    const response = await request(app.getHttpServer())
      .put(`/images/${newItem.imageId}/photo`)
      .set('Authorization', `Bearer ${bob}`)
      .set('Content-Type', 'image/jpeg')
      .send(squirrel);

    expect({ status: response.status, body: response.body }).toEqual({
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', message: 'Only the owner of an image may upload a photo for it' },
    });
  });

  it('refuses an upload with another content type than the URL binds', async () => {
    const { uploadUrl } = (await createImage({ title: 'Typed', contentType: 'image/png' }).expect(201)).body;

    const upload = await fetch(uploadUrl, { method: 'PUT', body: squirrel, headers: { 'Content-Type': 'image/jpeg' } });

    expect(upload.status).toBe(403);
  });

  it('refuses an upload to a tampered presigned URL', async () => {
    const { newItem, uploadUrl } = (await createImage({ title: 'Tampered' }).expect(201)).body;
    const tampered = new URL(uploadUrl);
    tampered.pathname = tampered.pathname.replace(newItem.imageId, '00000000-0000-4000-8000-000000000000');

    const upload = await fetch(tampered, { method: 'PUT', body: squirrel });

    expect(upload.status).toBe(403);
  });

  it('refuses an unsupported content type', async () => {
    const response = await createImage({ title: 'Gif', contentType: 'image/gif' }).expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'contentType must be one of the following values: image/jpeg, image/png, image/webp',
    });
  });

  it('refuses an image for a group that does not exist', async () => {
    const missingGroup = '0b7d3c4e-5f60-4a1b-8c2d-3e4f5a6b7c8d';

    const response = await createImage({ title: 'Orphan' }, alice, missingGroup).expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Group ${missingGroup} does not exist`,
    });
  });

  it('pages through 45 images in pages of 20, newest first, each exactly once', async () => {
    const group = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${bob}`)
      .send({ name: 'Forty-five' })
      .expect(201);
    const pagedGroupId: string = group.body.newItem.id;
    const created: string[] = [];
    for (let index = 0; index < 45; index += 1) {
      created.push(
        (await createImage({ title: `Image ${index}` }, bob, pagedGroupId).expect(201)).body.newItem.imageId,
      );
    }

    const pages: string[][] = [];
    let nextKey: string | undefined;
    do {
      const page = await request(app.getHttpServer())
        .get(`/groups/${pagedGroupId}/images`)
        .query({ limit: 20, ...(nextKey === undefined ? {} : { nextKey }) })
        .expect(200);
      pages.push(page.body.items.map((image: { imageId: string }) => image.imageId));
      nextKey = page.body.nextKey;
    } while (nextKey !== undefined);

    expect(pages.map((page) => page.length).slice(0, 3)).toEqual([20, 20, 5]);
    expect(pages.flat()).toEqual([...created].reverse());
  });

  it('refuses a nextKey taken from another group’s listing', async () => {
    const other = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${bob}`)
      .send({ name: 'Other' })
      .expect(201);
    await createImage({ title: 'One' }, bob, other.body.newItem.id).expect(201);
    await createImage({ title: 'Two' }, bob, other.body.newItem.id).expect(201);
    const firstPage = await request(app.getHttpServer())
      .get(`/groups/${other.body.newItem.id}/images`)
      .query({ limit: 1 })
      .expect(200);

    const response = await request(app.getHttpServer())
      .get(`/groups/${groupId}/images`)
      .query({ nextKey: firstPage.body.nextKey })
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'nextKey is not a token of this listing',
    });
  });

  it('answers 404 for the images of a group that does not exist', async () => {
    const missingGroup = '1c8e4d5f-6a71-4b2c-9d3e-4f5a6b7c8d9e';

    const response = await request(app.getHttpServer()).get(`/groups/${missingGroup}/images`).expect(404);

    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Group ${missingGroup} does not exist`,
    });
  });

  it('answers a malformed image id with a 400 and an unknown one with a 404', async () => {
    const malformed = await request(app.getHttpServer()).get('/images/%27%20OR%201=1').expect(400);
    const unknownId = '2d9f5e6a-7b82-4c3d-8e4f-5a6b7c8d9e0f';
    const unknown = await request(app.getHttpServer()).get(`/images/${unknownId}`).expect(404);

    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'imageId must be a UUID' });
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: `Image ${unknownId} does not exist` });
  });

  it('lets only the owner delete an image, and deleting it deletes the photo', async () => {
    const { newItem, uploadUrl } = (await createImage({ title: 'To delete', contentType: 'image/jpeg' }).expect(201))
      .body;
    await fetch(uploadUrl, { method: 'PUT', body: squirrel, headers: { 'Content-Type': 'image/jpeg' } });

    const forbidden = await request(app.getHttpServer())
      .delete(`/images/${newItem.imageId}`)
      .set('Authorization', `Bearer ${bob}`)
      .expect(403);
    await request(app.getHttpServer())
      .delete(`/images/${newItem.imageId}`)
      .set('Authorization', `Bearer ${alice}`)
      .expect(204);

    expect(forbidden.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Only the owner of an image or of its group may delete it',
    });
    await request(app.getHttpServer()).get(`/images/${newItem.imageId}`).expect(404);
    expect((await fetch(newItem.imageUrl)).status).toBe(404);
  });
});
