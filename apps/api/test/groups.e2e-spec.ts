import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { StoredRecords } from './security/security-helpers.js';
import { createTestApp } from './test-app.js';

describe('groups (e2e)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    app = await createTestApp();
    [alice, bob] = await Promise.all([mintTestToken('alice'), mintTestToken('bob')]);
  });

  afterAll(async () => {
    await app.close();
  });

  const createGroup = (token: string, body: object) =>
    request(app.getHttpServer()).post('/groups').set('Authorization', `Bearer ${token}`).send(body);

  it('creates a group owned by the caller and reads it back', async () => {
    const created = await createGroup(alice, { name: 'Dogs', description: 'Only good dogs' }).expect(201);

    expect(created.body).toEqual({
      newItem: {
        id: expect.any(String),
        userId: 'alice',
        name: 'Dogs',
        description: 'Only good dogs',
        timestamp: expect.any(String),
      },
    });
    const read = await request(app.getHttpServer()).get(`/groups/${created.body.newItem.id}`).expect(200);
    expect(read.body).toEqual({ item: created.body.newItem });
  });

  it('refuses to create a group without a token', async () => {
    const response = await request(app.getHttpServer()).post('/groups').send({ name: 'Cats' }).expect(401);

    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'A bearer token is required' });
  });

  it('names every invalid field', async () => {
    const response = await createGroup(alice, { name: '', description: 'x'.repeat(1001) }).expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'name must not be blank; name must be longer than or equal to 1 characters; ' +
        'description must be shorter than or equal to 1000 characters',
    });
  });

  it('refuses unknown body fields instead of dropping them', async () => {
    const response = await createGroup(alice, { name: 'Cats', userId: 'someone-else' }).expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'property userId should not exist',
    });
  });

  it('answers malformed JSON with a 400', async () => {
    const response = await request(app.getHttpServer())
      .post('/groups')
      .set('Authorization', `Bearer ${alice}`)
      .set('Content-Type', 'application/json')
      .send('{"name": "Cats",')
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
    });
  });

  it('answers a malformed group id with a 400 and an unknown one with a 404', async () => {
    const malformed = await request(app.getHttpServer()).get('/groups/not-a-uuid').expect(400);
    const unknownId = '6f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c';
    const unknown = await request(app.getHttpServer()).get(`/groups/${unknownId}`).expect(404);

    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'groupId must be a UUID' });
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: `Group ${unknownId} does not exist` });
  });

  it('pages through every group newest first, each exactly once', async () => {
    const created: string[] = [];
    for (const name of ['Paging 1', 'Paging 2', 'Paging 3']) {
      created.push((await createGroup(bob, { name }).expect(201)).body.newItem.id);
    }

    const seen: { id: string; timestamp: string }[] = [];
    let nextKey: string | undefined;
    do {
      const page = await request(app.getHttpServer())
        .get('/groups')
        .query({ limit: 2, ...(nextKey === undefined ? {} : { nextKey }) })
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      nextKey = page.body.nextKey;
    } while (nextKey !== undefined);

    const ids = seen.map((group) => group.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(created));
    const timestamps = seen.map((group) => group.timestamp);
    expect(timestamps).toEqual([...timestamps].sort().reverse());
    expect(ids.indexOf(created[2]!)).toBeLessThan(ids.indexOf(created[0]!));
  });

  it.each([
    ['a limit of 0', { limit: 0 }, 'limit must not be less than 1'],
    ['a limit over 100', { limit: 101 }, 'limit must not be greater than 100'],
    [
      'a non-numeric limit',
      { limit: 'ten' },
      'limit must not be greater than 100; limit must not be less than 1; limit must be an integer number',
    ],
    [
      'a tampered nextKey',
      { nextKey: Buffer.from('{"id":"x"}').toString('base64url') },
      'nextKey is not a token of this listing',
    ],
    ['a nextKey that is not a token', { nextKey: '{"id":"x"}' }, 'nextKey must be a token returned by a previous page'],
  ])('refuses %s with a 400', async (_case, query, message) => {
    const response = await request(app.getHttpServer()).get('/groups').query(query).expect(400);

    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('lets only the owner delete a group, and then it is gone', async () => {
    const groupId = (await createGroup(alice, { name: 'Short-lived' }).expect(201)).body.newItem.id;

    const forbidden = await request(app.getHttpServer())
      .delete(`/groups/${groupId}`)
      .set('Authorization', `Bearer ${bob}`)
      .expect(403);
    await request(app.getHttpServer()).delete(`/groups/${groupId}`).set('Authorization', `Bearer ${alice}`).expect(204);

    expect(forbidden.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Only the owner of a group may delete it',
    });
    await request(app.getHttpServer()).get(`/groups/${groupId}`).expect(404);
  });

  it('refuses to delete a group that still holds images', async () => {
    const groupId = (await createGroup(alice, { name: 'Full' }).expect(201)).body.newItem.id;
    await request(app.getHttpServer())
      .post(`/groups/${groupId}/images`)
      .set('Authorization', `Bearer ${alice}`)
      .send({ title: 'Keeps the group alive' })
      .expect(201);

    const response = await request(app.getHttpServer())
      .delete(`/groups/${groupId}`)
      .set('Authorization', `Bearer ${alice}`)
      .expect(409);

    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `Group ${groupId} still holds images; delete them first`,
    });
  });

  it('never leaves an image in a deleted group when uploads race the delete (no counter: mark, then a consistent check)', async () => {
    const records = new StoredRecords();
    try {
      for (let round = 0; round < 4; round += 1) {
        const groupId = (await createGroup(alice, { name: `Race ${round}` }).expect(201)).body.newItem.id;
        const uploads = Array.from({ length: 6 }, (_, index) =>
          request(app.getHttpServer())
            .post(`/groups/${groupId}/images`)
            .set('Authorization', `Bearer ${alice}`)
            .send({ title: `Racer ${index}` }),
        );
        const deletion = request(app.getHttpServer())
          .delete(`/groups/${groupId}`)
          .set('Authorization', `Bearer ${alice}`);
        const [deleted, ...created] = await Promise.all([deletion, ...uploads]);

        const stored = await records.imagesIn(groupId);
        const accepted = created.filter((response) => response.status === 201).length;
        // Every upload is stored (201) or refused because the group is gone or going (404): nothing else.
        expect(created.every((response) => response.status === 201 || response.status === 404)).toBe(true);
        expect(stored).toBe(accepted);
        if (deleted.status === 204) {
          expect(stored).toBe(0);
          await request(app.getHttpServer()).get(`/groups/${groupId}`).expect(404);
        } else {
          expect(deleted.status).toBe(409);
          await request(app.getHttpServer()).get(`/groups/${groupId}`).expect(200);
        }
      }
    } finally {
      records.destroy();
    }
  });

  it('reports its dependencies as up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toEqual({ status: 'ok', dependencies: { dynamodb: 'up', s3: 'up' } });
  });
});
