import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpApiEvent,
  lambdaContext,
  normalizeResponse,
  restApiEvent,
  type HttpRequest,
  type HttpResponse,
} from '../../../tools/deploy/api-gateway-events.js';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { waitForImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

// The artefact that is deployed, not the sources: `npm run build:lambda` makes it before the tests run.
const BUNDLE = fileURLToPath(new URL('../../../dist/lambda/api/index.mjs', import.meta.url));

type LambdaModule = typeof import('../src/lambda.js');

let bundledHandler: LambdaModule['handler'];
let localServer: NestExpressApplication;
let alice: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build:lambda\` before the e2e tests`);
  ({ handler: bundledHandler } = (await import(/* @vite-ignore */ pathToFileURL(BUNDLE).href)) as LambdaModule);
  [localServer, alice] = await Promise.all([createTestApp(), mintTestToken('alice')]);
});

afterAll(async () => {
  await localServer?.close();
});

/** The same request through supertest against the app as the local server configures it. */
async function askLocalServer({ method, path, headers = {}, body }: HttpRequest): Promise<HttpResponse> {
  const server = request(localServer.getHttpServer());
  let pending =
    method === 'OPTIONS'
      ? server.options(path)
      : server[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path);
  for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
  const response = body === undefined ? await pending : await pending.send(body as object);
  return { statusCode: response.status, headers: response.headers as Record<string, string>, body: response.text };
}

const ORIGIN = 'https://app.udagram.example';
const jsonHeaders = (token?: string) => ({
  Origin: ORIGIN,
  'Content-Type': 'application/json',
  ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
});

/** What a browser and a client depend on; date, etag and connection headers legitimately differ. */
function comparable({ statusCode, headers, body }: HttpResponse) {
  const kept = Object.entries(headers).filter(
    ([name]) => name.startsWith('access-control-') || name === 'vary' || name === 'content-type',
  );
  return { statusCode, headers: Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b))), body };
}

describe.each([
  ['an HTTP API (payload 2.0)', httpApiEvent],
  ['a REST API (payload 1.0)', restApiEvent],
])('the bundled API handler behind %s', (_flavour, toEvent) => {
  const invoke = async (httpRequest: HttpRequest) =>
    normalizeResponse(await bundledHandler(toEvent(httpRequest), lambdaContext()));

  it('lists groups publicly', async () => {
    const response = await invoke({ method: 'GET', path: '/groups?limit=5', headers: { Origin: ORIGIN } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual(expect.objectContaining({ items: expect.any(Array) }));
  });

  it('creates a group for the bearer of a dev token and reads it back', async () => {
    const created = await invoke({
      method: 'POST',
      path: '/groups',
      headers: jsonHeaders(alice),
      body: { name: 'Bundled', description: 'From the zip' },
    });

    expect(created.statusCode).toBe(201);
    const { newItem } = JSON.parse(created.body);
    expect(newItem).toEqual({
      id: expect.any(String),
      userId: 'alice',
      name: 'Bundled',
      description: 'From the zip',
      timestamp: expect.any(String),
    });
    const read = await invoke({ method: 'GET', path: `/groups/${newItem.id}` });
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body)).toEqual({ item: newItem });
  });

  it('validates the body with the DTO’s class-validator rules, so their metadata survived bundling', async () => {
    const body = { name: '', description: 'x'.repeat(1001) };

    const response = await invoke({ method: 'POST', path: '/groups', headers: jsonHeaders(alice), body });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'name must not be blank; name must be longer than or equal to 1 characters; ' +
        'description must be shorter than or equal to 1000 characters',
    });
  });

  it('refuses a body carrying a prototype key with the shared error body, as the local server does', async () => {
    const body = '{"name":"Proto","nested":{"__proto__":{"polluted":true}}}';
    const proto: HttpRequest = { method: 'POST', path: '/groups', headers: jsonHeaders(alice), body };

    const [response, local] = await Promise.all([invoke(proto), askLocalServer(proto)]);

    expect(JSON.parse(response.body)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'property nested.__proto__ should not exist',
    });
    expect(comparable(response)).toEqual(comparable(local));
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses a write without a token with the shared error body', async () => {
    const response = await invoke({ method: 'POST', path: '/groups', headers: jsonHeaders(), body: { name: 'Cats' } });

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'A bearer token is required',
    });
  });

  it('takes a photo as a base64-encoded binary body, stores its bytes and the pipeline labels it', async () => {
    const squirrel = await readFixture('squirrel.jpg');
    const group = JSON.parse(
      (await invoke({ method: 'POST', path: '/groups', headers: jsonHeaders(alice), body: { name: 'Binary' } })).body,
    );
    const created = await invoke({
      method: 'POST',
      path: `/groups/${group.newItem.id}/images`,
      headers: jsonHeaders(alice),
      body: { title: 'Base64', contentType: 'image/jpeg' },
    });
    const { imageId } = JSON.parse(created.body).newItem;

    const uploaded = await invoke({
      method: 'PUT',
      path: `/images/${imageId}/photo`,
      headers: { Origin: ORIGIN, 'Content-Type': 'image/jpeg', Authorization: `Bearer ${alice}` },
      body: squirrel,
    });

    expect(uploaded.statusCode).toBe(200);
    const { item } = JSON.parse(uploaded.body);
    expect(item).toMatchObject({ imageId, status: 'PENDING', contentType: 'image/jpeg' });
    const download = await fetch(item.imageUrl);
    expect(Buffer.from(await download.arrayBuffer()).equals(squirrel)).toBe(true);
    await expect(waitForImage(localServer, imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger',
    });
  });

  it('refuses a base64-encoded PNG sent as a JPEG with the shared error body, storing nothing', async () => {
    const camera = await readFixture('camera.png');
    const group = JSON.parse(
      (await invoke({ method: 'POST', path: '/groups', headers: jsonHeaders(alice), body: { name: 'Mislabelled' } }))
        .body,
    );
    const created = await invoke({
      method: 'POST',
      path: `/groups/${group.newItem.id}/images`,
      headers: jsonHeaders(alice),
      body: { title: 'PNG' },
    });
    const { imageId, imageUrl } = JSON.parse(created.body).newItem;

    const response = await invoke({
      method: 'PUT',
      path: `/images/${imageId}/photo`,
      headers: { Origin: ORIGIN, 'Content-Type': 'image/jpeg', Authorization: `Bearer ${alice}` },
      body: camera,
    });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The photo is image/png, but was sent as image/jpeg',
    });
    expect((await fetch(imageUrl)).status).toBe(404);
  });

  it('answers a CORS preflight itself', async () => {
    const response = await invoke({
      method: 'OPTIONS',
      path: '/groups',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });

    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,POST,PUT,DELETE',
      'access-control-allow-headers': 'Authorization,Content-Type,X-Correlation-Id',
      'access-control-max-age': '600',
    });
  });

  it.each<[string, (token: string) => HttpRequest]>([
    ['an unknown route', () => ({ method: 'GET', path: '/nowhere', headers: { Origin: ORIGIN } })],
    [
      'an unknown group',
      () => ({ method: 'GET', path: '/groups/6f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c', headers: { Origin: ORIGIN } }),
    ],
    ['a malformed group id', () => ({ method: 'GET', path: '/groups/not-a-uuid', headers: { Origin: ORIGIN } })],
    [
      'an invalid body',
      (token) => ({ method: 'POST', path: '/groups', headers: jsonHeaders(token), body: { name: 'x'.repeat(101) } }),
    ],
    [
      'malformed JSON',
      (token) => ({ method: 'POST', path: '/groups', headers: jsonHeaders(token), body: '{"name": "Cats",' }),
    ],
    [
      'a missing token',
      () => ({ method: 'DELETE', path: '/groups/6f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c', headers: { Origin: ORIGIN } }),
    ],
    [
      'a preflight',
      () => ({
        method: 'OPTIONS',
        path: '/groups',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'DELETE' },
      }),
    ],
  ])('answers %s exactly as the local server does', async (_case, makeRequest) => {
    const httpRequest = makeRequest(alice);

    const [fromLambda, fromLocalServer] = await Promise.all([invoke(httpRequest), askLocalServer(httpRequest)]);

    expect(comparable(fromLambda)).toEqual(comparable(fromLocalServer));
  });
});
