import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { readFixture } from '../../../../tools/test/fixtures.js';
import { PHOTO_UPLOAD_MAX_BYTES } from '@app/images';
import { MAX_JSON_DEPTH } from '../../src/configure-app.js';
import { waitForImage, type ImageBody } from '../pipeline-helpers.js';
import { createTestApp } from '../test-app.js';
import {
  GIF_1X1,
  jpegDeclaring,
  jpegWithBogusHuffmanTable,
  oversizePng,
  pngDeclaring,
  withInvertedBytes,
} from './bad-photos.js';
import { errorBody, StoredRecords } from './security-helpers.js';

/** A request the API must refuse: the status and message of its whole error body. */
interface RefusedRequest {
  what: string;
  send: () => request.Test;
  status: number;
  message: string | (() => string);
}

/** A photo the pipeline must end FAILED, with the classifier's typed error. */
interface BadPhoto {
  what: string;
  bytes: () => Promise<Buffer> | Buffer;
  contentType?: 'image/jpeg' | 'image/png';
  errorType: 'UndecodableImage' | 'ImageTooLarge';
}

/** Input at the edge of what is valid: accepted, then read back exactly as sent. */
interface EdgeInput {
  what: string;
  route: 'group' | 'image';
  body: Record<string, unknown>;
  /** What must be stored (default: the body itself). */
  stored?: Record<string, string>;
}

const UNKNOWN_ID = '5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c';
const NOT_AN_IMAGE = {
  errorType: 'UndecodableImage',
  reason: 'The file is not an image the classifier can read',
} as const;
const TOO_LARGE = { errorType: 'ImageTooLarge', reason: 'The image is too large to classify' } as const;
const encodeToken = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const NAME_ERRORS =
  'name must not be blank; name must be shorter than or equal to 100 characters; ' +
  'name must be longer than or equal to 1 characters; name must be a string';
const TITLE_ERRORS =
  'title must not be blank; title must be shorter than or equal to 200 characters; ' +
  'title must be longer than or equal to 1 characters; title must be a string';
const CONTENT_TYPE_ERROR = 'contentType must be one of the following values: image/jpeg, image/png, image/webp';
const LIMIT_ERRORS =
  'limit must not be greater than 100; limit must not be less than 1; limit must be an integer number';
const NOT_A_TOKEN = 'nextKey must be a token returned by a previous page';
const OTHER_LISTING = 'nextKey is not a token of this listing';
const LABEL_ERROR = 'label must be a single word of letters or digits';
const NOT_JSON = 'The request body is not valid JSON';
const JSON_ONLY = 'The request body must be JSON (Content-Type: application/json)';
const PHOTO_TYPES_ONLY = 'The photo must be sent as one of image/jpeg, image/png, image/webp (its Content-Type)';
const PHOTO_TOO_LARGE = `The photo is larger than ${PHOTO_UPLOAD_MAX_BYTES} bytes (4 MiB): upload it to the presigned uploadUrl instead`;
const NOT_A_PHOTO = 'The photo is not a JPEG, PNG or WebP image';

describe('bad input (e2e): refused whole, never a 500, nothing half-written', () => {
  const owner = `bad-input-${randomUUID()}`;
  const records = new StoredRecords();
  let app: NestExpressApplication;
  let token: string;
  let groupId: string;
  let imageId: string;
  let groupsToken: string;
  let groupImagesToken: string;
  let pngImageId: string;
  let strangerToken: string;
  let squirrel: Buffer;
  let camera: Buffer;

  const api = () => request(app.getHttpServer());
  const asOwner = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  // Buffers go out as they are (supertest would serialize them as JSON).
  const sendRaw = (test: request.Test, body: string | Buffer) =>
    test.serialize((raw: string) => raw).send(body as string);
  const postRaw = (path: string, contentType: string, body: string | Buffer) =>
    sendRaw(asOwner(api().post(path)).set('Content-Type', contentType), body);
  const postJson = (path: string, body: string) => postRaw(path, 'application/json', body);
  const createGroup = (body: unknown) => asOwner(api().post('/groups')).send(body as object);
  const createImage = (body: unknown, group = () => groupId) =>
    asOwner(api().post(`/groups/${group()}/images`)).send(body as object);
  const listGroups = (query: object) => api().get('/groups').query(query);
  const listImages = (query: object) => api().get(`/groups/${groupId}/images`).query(query);
  const searchImages = (query: object) => api().get('/images').query(query);
  const putPhoto = (contentType: string, body: string | Buffer, id = () => imageId) =>
    sendRaw(asOwner(api().put(`/images/${id()}/photo`)).set('Content-Type', contentType), body);

  beforeAll(async () => {
    app = await createTestApp();
    token = await mintTestToken(owner);
    groupId = (await createGroup({ name: 'Bad input' }).expect(201)).body.newItem.id;
    await createGroup({ name: 'Bad input, second' }).expect(201);
    for (const title of ['First', 'Second']) imageId = (await createImage({ title }).expect(201)).body.newItem.imageId;
    pngImageId = (await createImage({ title: 'Bound to PNG', contentType: 'image/png' }).expect(201)).body.newItem
      .imageId;
    [strangerToken, squirrel, camera] = await Promise.all([
      mintTestToken(`stranger-${randomUUID()}`),
      readFixture('squirrel.jpg'),
      readFixture('camera.png'),
    ]);
    // Real tokens of two listings, to offer each to the other.
    groupsToken = (await listGroups({ limit: 1 }).expect(200)).body.nextKey;
    groupImagesToken = (await listImages({ limit: 1 }).expect(200)).body.nextKey;
  });

  afterAll(async () => {
    records.destroy();
    await app.close();
  });

  const refusedRequests: RefusedRequest[] = [
    // POST /groups: the body
    {
      what: 'POST /groups with a trailing comma in its JSON',
      send: () => postJson('/groups', '{"name":"Cats",}'),
      status: 400,
      message: NOT_JSON,
    },
    {
      what: 'POST /groups with single-quoted JSON',
      send: () => postJson('/groups', "{'name':'Cats'}"),
      status: 400,
      message: NOT_JSON,
    },
    {
      what: 'POST /groups with a JSON string for a body',
      send: () => postJson('/groups', '"Cats"'),
      status: 400,
      message: NOT_JSON,
    },
    {
      what: 'POST /groups with JSON null for a body',
      send: () => postJson('/groups', 'null'),
      status: 400,
      message: NOT_JSON,
    },
    {
      what: 'POST /groups with an empty JSON body',
      send: () => postJson('/groups', ''),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with a JSON array for a body',
      send: () => postJson('/groups', '[{"name":"Cats"}]'),
      status: 400,
      message: `property 0 should not exist; ${NAME_ERRORS}`,
    },
    {
      what: 'POST /groups with a number for name',
      send: () => createGroup({ name: 42 }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with a boolean for name',
      send: () => createGroup({ name: true }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with null for name',
      send: () => createGroup({ name: null }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with an array for name',
      send: () => createGroup({ name: ['Cats'] }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with an object for name',
      send: () => createGroup({ name: { first: 'Cats' } }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with a number for description',
      send: () => createGroup({ name: 'Cats', description: 7 }),
      status: 400,
      message: 'description must be shorter than or equal to 1000 characters; description must be a string',
    },
    {
      what: 'POST /groups with no name',
      send: () => createGroup({ description: 'Nameless' }),
      status: 400,
      message: NAME_ERRORS,
    },
    {
      what: 'POST /groups with an unknown id field',
      send: () => createGroup({ name: 'Cats', id: UNKNOWN_ID }),
      status: 400,
      message: 'property id should not exist',
    },
    {
      what: 'POST /groups with an imageCount field',
      send: () => createGroup({ name: 'Cats', imageCount: -1 }),
      status: 400,
      message: 'property imageCount should not exist',
    },
    {
      what: 'POST /groups with a name of 101 characters',
      send: () => createGroup({ name: 'x'.repeat(101) }),
      status: 400,
      message: 'name must be shorter than or equal to 100 characters',
    },
    {
      what: 'POST /groups with a name of 101 four-byte emoji',
      send: () => createGroup({ name: '🦊'.repeat(101) }),
      status: 400,
      message: 'name must be shorter than or equal to 100 characters',
    },
    {
      what: 'POST /groups with a description of 1001 characters',
      send: () => createGroup({ name: 'Cats', description: 'y'.repeat(1001) }),
      status: 400,
      message: 'description must be shorter than or equal to 1000 characters',
    },
    {
      what: 'POST /groups with a name of spaces only',
      send: () => createGroup({ name: '   ' }),
      status: 400,
      message: 'name must not be blank',
    },
    {
      what: 'POST /groups with a name of tabs, newlines and an ideographic space',
      send: () => createGroup({ name: '\t\n\u3000' }),
      status: 400,
      message: 'name must not be blank',
    },
    {
      what: 'POST /groups with a name of zero-width and format characters only',
      send: () => createGroup({ name: '\u200b\u200d\ufeff\ufe0f' }),
      status: 400,
      message: 'name must not be blank',
    },
    {
      what: `POST /groups with JSON nested ${MAX_JSON_DEPTH + 1} levels deep`,
      send: () => postJson('/groups', nested(MAX_JSON_DEPTH + 1)),
      status: 400,
      message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
    },
    {
      what: 'POST /groups with a description nested 3000 levels deep',
      send: () => postJson('/groups', `{"name":"Cats","description":${nested(3000)}}`),
      status: 400,
      message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
    },
    {
      what: 'POST /groups with a 65 kB body',
      send: () => createGroup({ name: 'Cats', description: 'z'.repeat(65 * 1024) }),
      status: 413,
      message: 'The request body is too large',
    },
    {
      what: 'POST /groups with a gzip bomb (10 MB inflated)',
      send: () =>
        postRaw('/groups', 'application/json', gzipSync(Buffer.alloc(10_000_000, ' '))).set('Content-Encoding', 'gzip'),
      status: 413,
      message: 'The request body is too large',
    },
    {
      what: 'POST /groups with a gzip encoding that is not gzip',
      send: () => postJson('/groups', '{"name":"Cats"}').set('Content-Encoding', 'gzip'),
      status: 400,
      message: 'Bad Request',
    },
    {
      what: 'POST /groups with an unsupported Content-Encoding',
      send: () => postJson('/groups', '{"name":"Cats"}').set('Content-Encoding', 'compress'),
      status: 415,
      message: 'The request body’s encoding is not supported',
    },
    // Prototype keys at any depth, on every route that parses a JSON body: refused before anything copies the body
    {
      what: 'POST /groups with a __proto__ field',
      send: () => postJson('/groups', '{"name":"Proto","__proto__":{"polluted":true}}'),
      status: 400,
      message: 'property __proto__ should not exist',
    },
    {
      what: 'POST /groups with a constructor.prototype field',
      send: () => postJson('/groups', '{"name":"Ctor","constructor":{"prototype":{"polluted":true}}}'),
      status: 400,
      message: 'property constructor should not exist',
    },
    {
      what: 'POST /groups with a prototype field',
      send: () => postJson('/groups', '{"name":"Proto","prototype":{"polluted":true}}'),
      status: 400,
      message: 'property prototype should not exist',
    },
    {
      what: 'POST /groups with a __proto__ nested in description',
      send: () => postJson('/groups', '{"name":"Proto","description":{"a":[{"__proto__":{"polluted":true}}]}}'),
      status: 400,
      message: 'property description.a.0.__proto__ should not exist',
    },
    {
      what: 'POST /groups with a Unicode-escaped __proto__',
      send: () => postJson('/groups', '{"name":"Proto","\\u005f_proto__":{"polluted":true}}'),
      status: 400,
      message: 'property __proto__ should not exist',
    },
    {
      what: 'POST /groups with __proto__ in a JSON array body',
      send: () => postJson('/groups', '[{"__proto__":{"polluted":true}}]'),
      status: 400,
      message: 'property 0.__proto__ should not exist',
    },
    {
      what: 'POST /groups/:groupId/images with a __proto__ field',
      send: () => postJson(`/groups/${groupId}/images`, '{"title":"Proto","__proto__":{"polluted":true}}'),
      status: 400,
      message: 'property __proto__ should not exist',
    },
    {
      what: 'POST /groups/:groupId/images with constructor and prototype fields',
      send: () => postJson(`/groups/${groupId}/images`, '{"title":"Proto","constructor":{},"x":{"prototype":{}}}'),
      status: 400,
      message: 'property constructor should not exist; property x.prototype should not exist',
    },
    {
      what: 'POST /images/:imageId/classification with a __proto__ body',
      send: () => postJson(`/images/${imageId}/classification`, '{"__proto__":{"polluted":true}}'),
      status: 400,
      message: 'property __proto__ should not exist',
    },
    {
      what: 'PUT /images/:imageId/photo with a JSON __proto__ body (not parsed: the route takes photos only)',
      send: () =>
        sendRaw(
          asOwner(api().put(`/images/${imageId}/photo`)).set('Content-Type', 'application/json'),
          '{"__proto__":{"polluted":true}}',
        ),
      status: 415,
      message: PHOTO_TYPES_ONLY,
    },
    // POST /groups: the content type
    {
      what: 'POST /groups with a text/plain body',
      send: () => postRaw('/groups', 'text/plain', '{"name":"Cats"}'),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups with a form body',
      send: () => postRaw('/groups', 'application/x-www-form-urlencoded', 'name=Cats'),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups with a multipart body',
      send: () => asOwner(api().post('/groups')).field('name', 'Cats'),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups with an XML body',
      send: () => postRaw('/groups', 'application/xml', '<group><name>Cats</name></group>'),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups with a body and no Content-Type',
      send: () => sendRaw(asOwner(api().post('/groups')), Buffer.from('{"name":"Cats"}')),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups with JSON in a Latin-1 charset',
      send: () => postRaw('/groups', 'application/json; charset=latin1', '{"name":"Cats"}'),
      status: 415,
      message: 'The request body’s charset is not supported',
    },
    // POST /groups/:groupId/images
    {
      what: 'POST /groups/:groupId/images with no title',
      send: () => createImage({ contentType: 'image/png' }),
      status: 400,
      message: TITLE_ERRORS,
    },
    {
      what: 'POST /groups/:groupId/images with a number for title',
      send: () => createImage({ title: 3 }),
      status: 400,
      message: TITLE_ERRORS,
    },
    {
      what: 'POST /groups/:groupId/images with a title of 201 characters',
      send: () => createImage({ title: 't'.repeat(201) }),
      status: 400,
      message: 'title must be shorter than or equal to 200 characters',
    },
    {
      what: 'POST /groups/:groupId/images with a blank title',
      send: () => createImage({ title: ' \u00a0 ' }),
      status: 400,
      message: 'title must not be blank',
    },
    {
      what: 'POST /groups/:groupId/images with a title of a lone variation selector',
      send: () => createImage({ title: '\ufe0f' }),
      status: 400,
      message: 'title must not be blank',
    },
    {
      what: 'POST /groups/:groupId/images with contentType IMAGE/JPEG',
      send: () => createImage({ title: 'Fox', contentType: 'IMAGE/JPEG' }),
      status: 400,
      message: CONTENT_TYPE_ERROR,
    },
    {
      what: 'POST /groups/:groupId/images with contentType image/svg+xml',
      send: () => createImage({ title: 'Fox', contentType: 'image/svg+xml' }),
      status: 400,
      message: CONTENT_TYPE_ERROR,
    },
    {
      what: 'POST /groups/:groupId/images with contentType text/html',
      send: () => createImage({ title: 'Fox', contentType: 'text/html' }),
      status: 400,
      message: CONTENT_TYPE_ERROR,
    },
    {
      what: 'POST /groups/:groupId/images with an array for contentType',
      send: () => createImage({ title: 'Fox', contentType: ['image/jpeg'] }),
      status: 400,
      message: CONTENT_TYPE_ERROR,
    },
    {
      what: 'POST /groups/:groupId/images setting its own status',
      send: () => createImage({ title: 'Fox', status: 'CLASSIFIED' }),
      status: 400,
      message: 'property status should not exist',
    },
    {
      what: 'POST /groups/:groupId/images setting its own objectKey',
      send: () => createImage({ title: 'Fox', objectKey: 'images/../thumbnails/x.jpg' }),
      status: 400,
      message: 'property objectKey should not exist',
    },
    {
      what: 'POST /groups/:groupId/images setting another owner',
      send: () => createImage({ title: 'Fox', userId: 'alice' }),
      status: 400,
      message: 'property userId should not exist',
    },
    {
      what: 'POST /groups/:groupId/images with a text/plain body',
      send: () => postRaw(`/groups/${groupId}/images`, 'text/plain', 'Fox'),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /groups/:groupId/images to a malformed group id',
      send: () => createImage({ title: 'Fox' }, () => 'not-a-group'),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'POST /groups/:groupId/images to a version-1 UUID',
      send: () => createImage({ title: 'Fox' }, () => 'c232ab00-9414-11ec-b3c8-9f6bdeced846'),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'POST /groups/:groupId/images to an unknown group',
      send: () => createImage({ title: 'Fox' }, () => UNKNOWN_ID),
      status: 404,
      message: `Group ${UNKNOWN_ID} does not exist`,
    },
    // GET /groups
    {
      what: 'GET /groups with a negative limit',
      send: () => listGroups({ limit: -5 }),
      status: 400,
      message: 'limit must not be less than 1',
    },
    {
      what: 'GET /groups with a fractional limit',
      send: () => listGroups({ limit: 1.5 }),
      status: 400,
      message: 'limit must be an integer number',
    },
    {
      what: 'GET /groups with a limit of a billion',
      send: () => listGroups({ limit: 1e9 }),
      status: 400,
      message: 'limit must not be greater than 100',
    },
    {
      what: 'GET /groups with limit given twice',
      send: () => api().get('/groups?limit=1&limit=2'),
      status: 400,
      message: LIMIT_ERRORS,
    },
    {
      what: 'GET /groups with a nextKey of punctuation',
      send: () => listGroups({ nextKey: '!!!' }),
      status: 400,
      message: NOT_A_TOKEN,
    },
    {
      what: 'GET /groups with a nextKey of 2000 characters',
      send: () => listGroups({ nextKey: 'A'.repeat(2000) }),
      status: 400,
      message: 'nextKey must be shorter than or equal to 1024 characters',
    },
    {
      what: 'GET /groups with a nextKey that is base64 of no JSON',
      send: () => listGroups({ nextKey: Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64url') }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /groups with the nextKey of a group’s image listing',
      send: () => listGroups({ nextKey: groupImagesToken }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /groups with a nextKey holding DynamoDB-typed values',
      send: () =>
        listGroups({ nextKey: encodeToken({ id: { S: 'x' }, listing: { S: 'groups' }, timestamp: { S: 't' } }) }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /groups with an unknown query parameter',
      send: () => listGroups({ sort: 'name' }),
      status: 400,
      message: 'property sort should not exist',
    },
    // GET /groups/:groupId
    {
      what: 'GET /groups/:groupId with a path traversal',
      send: () => api().get('/groups/..%2F..%2Fetc%2Fpasswd'),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'GET /groups/:groupId with a NUL',
      send: () => api().get(`/groups/${UNKNOWN_ID}%00`),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'GET /groups/:groupId with a broken percent-encoding',
      send: () => api().get('/groups/%E0%A4%A'),
      status: 400,
      message: "Failed to decode param '%E0%A4%A'",
    },
    {
      what: 'GET /groups/:groupId with an id of 5000 characters',
      send: () => api().get(`/groups/${'a'.repeat(5000)}`),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'GET /groups/:groupId with an unknown id',
      send: () => api().get(`/groups/${UNKNOWN_ID}`),
      status: 404,
      message: `Group ${UNKNOWN_ID} does not exist`,
    },
    // DELETE /groups/:groupId
    {
      what: 'DELETE /groups/:groupId with a malformed id',
      send: () => asOwner(api().delete('/groups/1 OR 1=1')),
      status: 400,
      message: 'groupId must be a UUID',
    },
    {
      what: 'DELETE /groups/:groupId with an unknown id',
      send: () => asOwner(api().delete(`/groups/${UNKNOWN_ID}`)),
      status: 404,
      message: `Group ${UNKNOWN_ID} does not exist`,
    },
    {
      what: 'DELETE /groups/:groupId without a token',
      send: () => api().delete(`/groups/${groupId}`),
      status: 401,
      message: 'A bearer token is required',
    },
    {
      what: 'DELETE /groups/:groupId with a token that is no JWT',
      send: () => api().delete(`/groups/${groupId}`).set('Authorization', 'Bearer not.a.jwt'),
      status: 401,
      message: 'The bearer token is invalid',
    },
    // GET /groups/:groupId/images
    {
      what: 'GET /groups/:groupId/images with a label of two words',
      send: () => listImages({ label: 'coach dog' }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /groups/:groupId/images with a label of 65 letters',
      send: () => listImages({ label: 'a'.repeat(65) }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /groups/:groupId/images with label given twice',
      send: () => api().get(`/groups/${groupId}/images?label=dog&label=cat`),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /groups/:groupId/images with the nextKey of the group listing',
      send: () => listImages({ nextKey: groupsToken }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /groups/:groupId/images with label and the nextKey of the unlabelled listing',
      send: () => listImages({ label: 'dog', nextKey: groupImagesToken }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /groups/:groupId/images with a non-numeric limit',
      send: () => listImages({ limit: 'all' }),
      status: 400,
      message: LIMIT_ERRORS,
    },
    {
      what: 'GET /groups/:groupId/images of an unknown group, with a label',
      send: () => api().get(`/groups/${UNKNOWN_ID}/images`).query({ label: 'dog' }),
      status: 404,
      message: `Group ${UNKNOWN_ID} does not exist`,
    },
    {
      what: 'GET /groups/:groupId/images with a malformed group id',
      send: () => api().get('/groups/%F0%9F%A6%8A/images'),
      status: 400,
      message: 'groupId must be a UUID',
    },
    // GET /images
    { what: 'GET /images with no label', send: () => searchImages({}), status: 400, message: LABEL_ERROR },
    {
      what: 'GET /images with an empty label',
      send: () => searchImages({ label: '' }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /images with a NUL in the label',
      send: () => searchImages({ label: 'dog\u0000' }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /images with an injection attempt for a label',
      send: () => searchImages({ label: "dog' OR '1'='1" }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /images with a zero-width space in the label',
      send: () => searchImages({ label: 'do\u200bg' }),
      status: 400,
      message: LABEL_ERROR,
    },
    {
      what: 'GET /images with the nextKey of another word',
      send: () =>
        searchImages({
          label: 'dog',
          nextKey: encodeToken({ word: 'cat', timestampId: '2026-11-26T07:00:00.000Z#x' }),
        }),
      status: 400,
      message: OTHER_LISTING,
    },
    {
      what: 'GET /images with the nextKey of the group listing',
      send: () => searchImages({ label: 'dog', nextKey: groupsToken }),
      status: 400,
      message: OTHER_LISTING,
    },
    // GET /images/:imageId
    {
      what: 'GET /images/:imageId with a malformed id',
      send: () => api().get('/images/%3Cscript%3E'),
      status: 400,
      message: 'imageId must be a UUID',
    },
    {
      what: 'GET /images/:imageId with an unknown id',
      send: () => api().get(`/images/${UNKNOWN_ID}`),
      status: 404,
      message: `Image ${UNKNOWN_ID} does not exist`,
    },
    // POST /images/:imageId/classification
    {
      what: 'POST /images/:imageId/classification with a malformed id',
      send: () => asOwner(api().post('/images/12345/classification')),
      status: 400,
      message: 'imageId must be a UUID',
    },
    {
      what: 'POST /images/:imageId/classification with an unknown id',
      send: () => asOwner(api().post(`/images/${UNKNOWN_ID}/classification`)),
      status: 404,
      message: `Image ${UNKNOWN_ID} does not exist`,
    },
    {
      what: 'POST /images/:imageId/classification without a token',
      send: () => api().post(`/images/${imageId}/classification`),
      status: 401,
      message: 'A bearer token is required',
    },
    {
      what: 'POST /images/:imageId/classification with a text/plain body',
      send: () => postRaw(`/images/${imageId}/classification`, 'text/plain', 'again'),
      status: 415,
      message: JSON_ONLY,
    },
    // DELETE /images/:imageId
    {
      what: 'DELETE /images/:imageId with a malformed id',
      send: () => asOwner(api().delete('/images/..%2F..')),
      status: 400,
      message: 'imageId must be a UUID',
    },
    {
      what: 'DELETE /images/:imageId with an unknown id',
      send: () => asOwner(api().delete(`/images/${UNKNOWN_ID}`)),
      status: 404,
      message: `Image ${UNKNOWN_ID} does not exist`,
    },
    {
      what: 'DELETE /images/:imageId with a Basic credential',
      send: () => api().delete(`/images/${imageId}`).set('Authorization', 'Basic YWxpY2U6c2VjcmV0'),
      status: 401,
      message: 'A bearer token is required',
    },
    // PUT /images/:imageId/photo: the one route whose body is not JSON
    {
      what: 'PUT /images/:imageId/photo with a 0-byte body',
      send: () => putPhoto('image/jpeg', Buffer.alloc(0)),
      status: 400,
      message: 'The photo is empty',
    },
    {
      what: 'PUT /images/:imageId/photo with no body and no Content-Type',
      send: () => asOwner(api().put(`/images/${imageId}/photo`)),
      status: 400,
      message: 'The photo is empty',
    },
    {
      what: 'PUT /images/:imageId/photo with 4 MiB + 1 byte',
      send: () =>
        putPhoto('image/jpeg', Buffer.concat([squirrel, Buffer.alloc(PHOTO_UPLOAD_MAX_BYTES + 1 - squirrel.length)])),
      status: 413,
      message: PHOTO_TOO_LARGE,
    },
    {
      what: 'PUT /images/:imageId/photo with a gzip bomb (10 MB inflated)',
      send: () => putPhoto('image/jpeg', gzipSync(Buffer.alloc(10_000_000))).set('Content-Encoding', 'gzip'),
      status: 413,
      message: 'The request body is too large',
    },
    {
      what: 'PUT /images/:imageId/photo with a PNG sent as image/jpeg',
      send: () => putPhoto('image/jpeg', camera),
      status: 400,
      message: 'The photo is image/png, but was sent as image/jpeg',
    },
    {
      what: 'PUT /images/:imageId/photo with a JPEG for an image created for a PNG',
      send: () => putPhoto('image/jpeg', squirrel, () => pngImageId),
      status: 400,
      message: 'This image was created for an image/png photo, not image/jpeg',
    },
    {
      what: 'PUT /images/:imageId/photo with an HTML page sent as image/jpeg',
      send: () => putPhoto('image/jpeg', '<!doctype html><script>alert(document.domain)</script>'),
      status: 400,
      message: NOT_A_PHOTO,
    },
    {
      what: 'PUT /images/:imageId/photo with a GIF sent as image/png',
      send: () => putPhoto('image/png', GIF_1X1),
      status: 400,
      message: NOT_A_PHOTO,
    },
    {
      what: 'PUT /images/:imageId/photo as image/svg+xml',
      send: () => putPhoto('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      status: 415,
      message: PHOTO_TYPES_ONLY,
    },
    {
      what: 'PUT /images/:imageId/photo as application/octet-stream',
      send: () => putPhoto('application/octet-stream', squirrel),
      status: 415,
      message: PHOTO_TYPES_ONLY,
    },
    {
      what: 'PUT /images/:imageId/photo as JSON',
      send: () => asOwner(api().put(`/images/${imageId}/photo`)).send({ photo: 'x' }),
      status: 415,
      message: PHOTO_TYPES_ONLY,
    },
    {
      what: 'PUT /images/:imageId/photo as a multipart form',
      send: () => asOwner(api().put(`/images/${imageId}/photo`)).attach('photo', squirrel, 'squirrel.jpg'),
      status: 415,
      message: PHOTO_TYPES_ONLY,
    },
    {
      what: 'PUT /images/:imageId/photo without a token',
      send: () => sendRaw(api().put(`/images/${imageId}/photo`).set('Content-Type', 'image/jpeg'), squirrel),
      status: 401,
      message: 'A bearer token is required',
    },
    {
      what: 'PUT /images/:imageId/photo of another user’s image',
      send: () =>
        sendRaw(
          api()
            .put(`/images/${imageId}/photo`)
            .set('Authorization', `Bearer ${strangerToken}`)
            .set('Content-Type', 'image/jpeg'),
          squirrel,
        ),
      status: 403,
      message: 'Only the owner of an image may upload a photo for it',
    },
    {
      what: 'PUT /images/:imageId/photo of an unknown image',
      send: () => putPhoto('image/jpeg', squirrel, () => UNKNOWN_ID),
      status: 404,
      message: `Image ${UNKNOWN_ID} does not exist`,
    },
    {
      what: 'PUT /images/:imageId/photo with a malformed id',
      send: () => putPhoto('image/jpeg', squirrel, () => '..%2F..%2Fthumbnails'),
      status: 400,
      message: 'imageId must be a UUID',
    },
    {
      what: 'POST /groups with a JPEG body',
      send: () => postRaw('/groups', 'image/jpeg', squirrel),
      status: 415,
      message: JSON_ONLY,
    },
    {
      what: 'POST /images/:imageId/photo',
      send: () => postRaw(`/images/${imageId}/photo`, 'image/jpeg', squirrel),
      status: 415,
      message: JSON_ONLY,
    },
    // Routes that do not exist
    {
      what: 'PUT /groups',
      send: () => asOwner(api().put('/groups')).send({ name: 'Cats' }),
      status: 404,
      message: 'Cannot PUT /groups',
    },
    {
      what: 'PATCH /images/:imageId',
      send: () => asOwner(api().patch(`/images/${imageId}`)).send({ title: 'Renamed' }),
      status: 404,
      message: () => `Cannot PATCH /images/${imageId}`,
    },
  ];

  const badPhotos: BadPhoto[] = [
    { what: 'a 0-byte file', bytes: () => Buffer.alloc(0), errorType: 'UndecodableImage' },
    {
      what: 'an HTML page',
      bytes: () => Buffer.from('<!doctype html><script>alert(document.domain)</script>'),
      errorType: 'UndecodableImage',
    },
    {
      what: 'an SVG with a script',
      bytes: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      errorType: 'UndecodableImage',
    },
    {
      what: 'a PDF',
      bytes: () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
      errorType: 'UndecodableImage',
    },
    { what: 'a GIF (not a format the classifier takes)', bytes: () => GIF_1X1, errorType: 'UndecodableImage' },
    {
      what: 'squirrel.jpg cut in half',
      bytes: async () => (await readFixture('squirrel.jpg')).subarray(0, 25_000),
      contentType: 'image/jpeg',
      errorType: 'UndecodableImage',
    },
    {
      what: 'squirrel.jpg cut before its frame header',
      bytes: async () => (await readFixture('squirrel.jpg')).subarray(0, 100),
      contentType: 'image/jpeg',
      errorType: 'UndecodableImage',
    },
    {
      what: 'squirrel.jpg with a bogus Huffman table',
      bytes: async () => jpegWithBogusHuffmanTable(await readFixture('squirrel.jpg')),
      contentType: 'image/jpeg',
      errorType: 'UndecodableImage',
    },
    {
      what: 'camera.png with corrupt chunks (CRCs no longer match)',
      bytes: async () => withInvertedBytes(await readFixture('camera.png'), 200, 400),
      contentType: 'image/png',
      errorType: 'UndecodableImage',
    },
    {
      what: 'a PNG declaring a width of 0',
      bytes: () => pngDeclaring(0, 100),
      contentType: 'image/png',
      errorType: 'UndecodableImage',
    },
    {
      what: 'a decompression bomb: a 1 kB PNG declaring 30000×30000 (valid CRCs)',
      bytes: () => pngDeclaring(30_000, 30_000),
      contentType: 'image/png',
      errorType: 'ImageTooLarge',
    },
    {
      what: 'a decompression bomb: squirrel.jpg declaring 60000×60000',
      bytes: async () => jpegDeclaring(await readFixture('squirrel.jpg'), 60_000, 60_000),
      contentType: 'image/jpeg',
      errorType: 'ImageTooLarge',
    },
    {
      what: 'a 17 MB photo, over the classifier’s 15 MiB MAX_IMAGE_BYTES',
      bytes: oversizePng,
      contentType: 'image/png',
      errorType: 'ImageTooLarge',
    },
  ];

  const edgeInputs: EdgeInput[] = [
    { what: 'a group name of 100 four-byte emoji (the limit)', route: 'group', body: { name: '🦊'.repeat(100) } },
    { what: 'an image title of 200 four-byte emoji (the limit)', route: 'image', body: { title: '🐿'.repeat(200) } },
    {
      what: 'a title of emoji with presentation selectors (not counted as characters)',
      route: 'image',
      body: { title: '🐿️'.repeat(200) },
    },
    { what: 'a name with a right-to-left override', route: 'group', body: { name: 'photos\u202Egpj.exe' } },
    {
      what: 'a name with zero-width characters between letters',
      route: 'group',
      body: { name: 'zero\u200Bwidth\u200Djoiner\uFEFF' },
    },
    { what: 'a name with a lone surrogate', route: 'group', body: { name: 'half \uD83E pair' } },
    {
      what: 'a description with a NUL and control characters',
      route: 'group',
      body: { name: 'Controls', description: 'a\u0000b\u0007c\u001Bd' },
    },
    {
      what: 'a description of 1000 code points, every other one a combining accent',
      route: 'group',
      body: { name: 'Zalgo', description: 'e\u0301'.repeat(500) },
    },
    { what: 'markup in a title', route: 'image', body: { title: '<img src=x onerror=alert(1)>' } },
  ];

  const total = refusedRequests.length + badPhotos.length + edgeInputs.length;
  /** `[title, case]` rows whose titles number every case of the file: "case 7/116: … → 400". */
  const numbered = <T extends { what: string }>(cases: T[], first: number, outcome: (testCase: T) => string) =>
    cases.map((testCase, index): [string, T] => [
      `case ${first + index}/${total}: ${testCase.what} ${outcome(testCase)}`,
      testCase,
    ]);

  describe(`${refusedRequests.length} refused requests across every route`, () => {
    const rows = numbered(refusedRequests, 1, ({ status }) => `→ ${status} with the whole error body, nothing stored`);
    it.each(rows)('%s', async (_title, { send, status, message }) => {
      const before = await storedState();

      const response = await send();

      expect({ status: response.status, body: response.body }).toEqual({
        status,
        body: errorBody(status, typeof message === 'string' ? message : message()),
      });
      await expect(storedState()).resolves.toEqual(before);
    });
  });

  describe(`${badPhotos.length} bad photos through the upload → label pipeline`, () => {
    let photosGroupId: string;

    beforeAll(async () => {
      photosGroupId = (await createGroup({ name: 'Bad photos' }).expect(201)).body.newItem.id;
    });

    const rows = numbered(
      badPhotos,
      refusedRequests.length + 1,
      ({ errorType }) => `ends FAILED (${errorType}) with its reason`,
    );
    it.each(rows)('%s', async (_title, { bytes, contentType, errorType }) => {
      const created = await createImage(
        { title: 'Bad photo', ...(contentType === undefined ? {} : { contentType }) },
        () => photosGroupId,
      ).expect(201);
      const upload = await fetch(created.body.uploadUrl, {
        method: 'PUT',
        body: new Uint8Array(await bytes()),
        headers: contentType === undefined ? {} : { 'Content-Type': contentType },
      });
      expect(upload.status).toBe(200);

      const image: ImageBody = await waitForImage(app, created.body.newItem.imageId);

      expect(image.status).toBe('FAILED');
      expect(image.failure).toEqual(errorType === 'ImageTooLarge' ? TOO_LARGE : NOT_AN_IMAGE);
      expect(image).not.toHaveProperty('classLabel');
      expect(image).not.toHaveProperty('labels');
    });
  });

  describe(`${edgeInputs.length} edge inputs that are valid`, () => {
    const rows = numbered(
      edgeInputs,
      refusedRequests.length + badPhotos.length + 1,
      () => 'is stored and read back exactly',
    );
    it.each(rows)('%s', async (_title, { route, body, stored }) => {
      const created = await (route === 'group' ? createGroup(body) : createImage(body)).expect(201);

      const read =
        route === 'group'
          ? (await api().get(`/groups/${created.body.newItem.id}`).expect(200)).body.item
          : (await api().get(`/images/${created.body.newItem.imageId}`).expect(200)).body.item;

      expect(read).toMatchObject(stored ?? body);
      expect(read).not.toHaveProperty('polluted');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it(`is healthy after all ${total} cases and still labels a good photo`, async () => {
    await expect(api().get('/health')).resolves.toMatchObject({ status: 200, body: { status: 'ok' } });
    // Every prototype-key payload above carried `polluted`: none of them reached Object.prototype.
    expect(Object.prototype).not.toHaveProperty('polluted');
    const created = await createImage({ title: 'Good photo', contentType: 'image/jpeg' }).expect(201);
    const upload = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      body: new Uint8Array(await readFixture('squirrel.jpg')),
      headers: { 'Content-Type': 'image/jpeg' },
    });
    expect(upload.status).toBe(200);

    await expect(waitForImage(app, created.body.newItem.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger',
    });
  });

  /** The suite owner's groups, and the images of its group and of the unknown one. */
  async function storedState() {
    const [groups, images, imagesOfUnknownGroup, photo, pngPhoto] = await Promise.all([
      records.groupsOwnedBy(owner),
      records.imagesIn(groupId),
      records.imagesIn(UNKNOWN_ID),
      records.photoSizeOf(imageId),
      records.photoSizeOf(pngImageId),
    ]);
    return { groups, images, imagesOfUnknownGroup, photo, pngPhoto };
  }
});
