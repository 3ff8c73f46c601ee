import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { readFixture } from '../../../../tools/test/fixtures.js';
import { createTestApp } from '../test-app.js';

describe('what the bucket serves back (e2e)', () => {
  let app: NestExpressApplication;
  let token: string;
  let groupId: string;

  beforeAll(async () => {
    app = await createTestApp();
    token = await mintTestToken('mallory');
    groupId = (
      await request(app.getHttpServer())
        .post('/groups')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Served' })
        .expect(201)
    ).body.newItem.id;
  });

  afterAll(async () => {
    await app.close();
  });

  const upload = async (body: Buffer, putType: string | undefined, contentType?: string) => {
    const created = await request(app.getHttpServer())
      .post(`/groups/${groupId}/images`)
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Served back', ...(contentType === undefined ? {} : { contentType }) })
      .expect(201);
    const put = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: putType === undefined ? {} : { 'Content-Type': putType },
    });
    expect(put.status).toBe(200);
    return fetch(created.body.newItem.imageUrl);
  };

  it('never serves an untyped upload of HTML as a page: an opaque attachment instead', async () => {
    const served = await upload(Buffer.from('<!doctype html><script>alert(document.domain)</script>'), 'text/html');

    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toBe('attachment');
  });

  it('serves a typed upload with the type its upload URL bound', async () => {
    const served = await upload(await readFixture('squirrel.jpg'), 'image/jpeg', 'image/jpeg');

    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-disposition')).toBe('inline');
  });
});
