import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { setupSwagger } from '../../src/swagger.js';
import { createTestAppWith, errorBody, StoredRecords } from './security-helpers.js';

const API_CSP = "default-src 'none';frame-ancestors 'none'";
const ALLOWED_ORIGIN = 'https://app.udagram.example';
const UNKNOWN_ID = '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b';
/** Installed by tools/ensure-system-deps.sh, as for the web app's browser tests. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Security headers every response carries, whatever its status. */
function expectSecurityHeaders(
  headers: Record<string, string>,
  contentSecurityPolicy = API_CSP,
  openerPolicy = 'same-origin',
) {
  expect(headers).toMatchObject({
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': openerPolicy,
  });
  expect(headers).not.toHaveProperty('x-powered-by');
}

/** Swagger UI's policy: its own files, inline styles, and fetches to the identity provider's token endpoint. */
function docsPolicy(): string {
  const identityProvider = new URL(process.env.JWT_ISSUER!).origin;
  return (
    "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;" +
    `connect-src 'self' ${identityProvider};object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'`
  );
}

describe('hardening (e2e)', () => {
  describe('security headers, CORS and body limits', () => {
    let app: NestExpressApplication;
    let token: string;

    beforeAll(async () => {
      app = await createTestAppWith({ CORS_ORIGINS: ALLOWED_ORIGIN }, (uninitialised) => setupSwagger(uninitialised));
      token = await mintTestToken('hardening');
    });

    afterAll(async () => {
      await app.close();
    });

    it.each<[string, () => request.Test, number]>([
      ['a listing', () => request(app.getHttpServer()).get('/groups').query({ limit: 1 }), 200],
      ['a validation error', () => request(app.getHttpServer()).get('/groups').query({ limit: 0 }), 400],
      ['an unknown route', () => request(app.getHttpServer()).get('/nowhere'), 404],
      [
        'a body-parser error',
        () =>
          request(app.getHttpServer())
            .post('/groups')
            .set('Authorization', `Bearer ${token}`)
            .set('Content-Type', 'application/json')
            .send('{'),
        400,
      ],
      ['a missing token', () => request(app.getHttpServer()).delete(`/groups/${UNKNOWN_ID}`), 401],
      [
        'a CORS preflight',
        () =>
          request(app.getHttpServer())
            .options('/groups')
            .set('Origin', ALLOWED_ORIGIN)
            .set('Access-Control-Request-Method', 'POST'),
        204,
      ],
    ])('sends the API’s security headers with %s', async (_case, send, status) => {
      const response = await send().expect(status);

      expectSecurityHeaders(response.headers);
    });

    it('keeps Swagger UI working: a policy that allows its own scripts and styles, and no inline script', async () => {
      const page = await request(app.getHttpServer()).get('/docs/').expect(200);
      const inlineScripts = [...page.text.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].filter(
        ([, body]) => body!.trim() !== '',
      );
      const assets = [...page.text.matchAll(/<(?:script|link)[^>]+(?:src|href)=["']([^"']+)["']/g)].map(
        ([, url]) => url!,
      );

      expectSecurityHeaders(page.headers, docsPolicy(), 'same-origin-allow-popups');
      expect(inlineScripts).toEqual([]);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      for (const asset of assets) {
        expect(asset).not.toMatch(/^(https?:)?\/\//);
        await request(app.getHttpServer()).get(new URL(asset, 'http://api.local/docs/').pathname).expect(200);
      }
      await request(app.getHttpServer()).get('/docs-json').expect(200);
    });

    it('lets the OAuth2 redirect page run its own script and reach its opener, and nothing more', async () => {
      const page = await request(app.getHttpServer()).get('/docs/oauth2-redirect.html').expect(200);

      expectSecurityHeaders(page.headers, docsPolicy(), 'unsafe-none');
      expect(page.text).toContain('<script src="oauth2-redirect.js"></script>');
      const script = await request(app.getHttpServer()).get('/docs/oauth2-redirect.js').expect(200);
      expectSecurityHeaders(script.headers, docsPolicy(), 'same-origin-allow-popups');
    });

    it('sends /docs to /docs/, where Swagger UI finds its OAuth2 redirect page', async () => {
      await request(app.getHttpServer()).get('/docs').expect(301).expect('Location', '/docs/');
    });

    it('lets Swagger UI render every operation in headless Chromium under that policy, with no violation', async () => {
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;

      const { stdout: page, stderr: browserLog } = await promisify(execFile)(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--enable-logging=stderr',
          '--virtual-time-budget=8000',
          '--dump-dom',
          `http://127.0.0.1:${port}/docs/`,
        ],
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );

      expect(page).toContain('Udagram API');
      const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
        paths: Record<string, object>;
      };
      const operations = Object.values(document.paths).flatMap((path) => Object.keys(path));
      expect(page.match(/class="opblock-summary-path"/g)?.length).toBe(operations.length);
      expect(browserLog).not.toMatch(/Content Security Policy|Refused to/);
    });

    it('lets an allowed origin read responses', async () => {
      const response = await request(app.getHttpServer())
        .get('/groups')
        .query({ limit: 1 })
        .set('Origin', ALLOWED_ORIGIN)
        .expect(200);

      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers.vary).toContain('Origin');
    });

    it('gives any other origin no CORS header, for a request or a preflight', async () => {
      const evil = 'https://evil.example';
      const simple = await request(app.getHttpServer())
        .get('/groups')
        .query({ limit: 1 })
        .set('Origin', evil)
        .expect(200);
      const preflight = await request(app.getHttpServer())
        .options('/groups')
        .set('Origin', evil)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');

      expect(simple.headers).not.toHaveProperty('access-control-allow-origin');
      expect(preflight.headers).not.toHaveProperty('access-control-allow-origin');
    });

    it('reads a JSON body just under 64 kB, and refuses one just over with 413 and the whole body', async () => {
      const postBody = (bytes: number) =>
        request(app.getHttpServer())
          .post('/groups')
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'application/json')
          .send(
            JSON.stringify({ name: 'Big', description: 'd'.repeat(bytes - '{"name":"Big","description":""}'.length) }),
          );

      const under = await postBody(64 * 1024);
      const over = await postBody(64 * 1024 + 1);

      expect({ status: under.status, body: under.body }).toEqual({
        status: 400,
        body: errorBody(400, 'description must be shorter than or equal to 1000 characters'),
      });
      expect({ status: over.status, body: over.body }).toEqual({
        status: 413,
        body: errorBody(413, 'The request body is too large'),
      });
    });
  });

  describe('the write rate limit (WRITE_RATE_LIMIT=3 in this app)', () => {
    const records = new StoredRecords();
    let app: NestExpressApplication;

    beforeAll(async () => {
      app = await createTestAppWith({ WRITE_RATE_LIMIT: '3' });
    });

    afterAll(async () => {
      records.destroy();
      await app.close();
    });

    const createGroup = (token: string) =>
      request(app.getHttpServer()).post('/groups').set('Authorization', `Bearer ${token}`).send({ name: 'Throttled' });

    it('answers the 4th write of a minute 429 with the whole body and Retry-After, and stores nothing for it', async () => {
      const user = `throttled-${randomUUID()}`;
      const token = await mintTestToken(user);
      for (let write = 1; write <= 3; write++) await createGroup(token).expect(201);

      const fourth = await createGroup(token);

      expect({ status: fourth.status, body: fourth.body }).toEqual({
        status: 429,
        body: errorBody(429, 'Too many writes: at most 3 a minute; try again later'),
      });
      expect(Number(fourth.headers['retry-after-writes'])).toBeGreaterThan(0);
      await expect(records.groupsOwnedBy(user)).resolves.toBe(3);
    });

    it('shares one budget between every write route', async () => {
      const token = await mintTestToken(`throttled-${randomUUID()}`);
      const groupId = (await createGroup(token).expect(201)).body.newItem.id;
      const imageId = (
        await request(app.getHttpServer())
          .post(`/groups/${groupId}/images`)
          .set('Authorization', `Bearer ${token}`)
          .send({ title: 'One' })
          .expect(201)
      ).body.newItem.imageId;
      await request(app.getHttpServer())
        .put(`/images/${imageId}/photo`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'image/png')
        .send(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        .expect(200);

      await request(app.getHttpServer())
        .delete(`/images/${imageId}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(429);
    });

    it('never throttles reads', async () => {
      const token = await mintTestToken(`throttled-${randomUUID()}`);
      for (let write = 1; write <= 4; write++) await createGroup(token);

      for (let read = 1; read <= 10; read++) {
        await request(app.getHttpServer())
          .get('/groups')
          .query({ limit: 1 })
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
      }
    });

    it('counts verified users, after the JWT guard: bad tokens cost nothing and users behind one address do not share', async () => {
      for (let attempt = 1; attempt <= 5; attempt++) await createGroup('not-a-token').expect(401);
      const [first, second] = await Promise.all([
        mintTestToken(`throttled-${randomUUID()}`),
        mintTestToken(`throttled-${randomUUID()}`),
      ]);

      for (let write = 1; write <= 3; write++) {
        await createGroup(first).expect(201);
        await createGroup(second).expect(201);
      }
    });
  });
});
