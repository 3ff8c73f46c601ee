import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { createTestApp } from '../test-app.js';
import { startJwksServer, unreachableJwksUrl, type JwksServer } from './jwks-server.js';
import { createTestAppWith, errorBody, StoredRecords } from './security-helpers.js';

// Passport keeps strategies in one process-wide registry: the last app booted verifies tokens for every app of
// the file. So each block boots its own app and closes it before the next block boots another.

const INVALID_TOKEN = errorBody(401, 'The bearer token is invalid');
const KEYS_UNAVAILABLE = errorBody(503, 'The identity provider’s signing keys cannot be fetched; try again later');
const SOME_ID = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** The dev identity provider's private key: tokens that only its real signature could make. */
async function issuerKey(alg: 'RS256' | 'PS256' = 'RS256') {
  return importJWK(inject('devIdentity').privateJwk, alg);
}

async function sign(
  key: Parameters<SignJWT['sign']>[0],
  header: JWTHeaderParameters,
  claims: JWTPayload,
): Promise<string> {
  const { issuer, audience } = inject('devIdentity');
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

describe('JWT verification (e2e, beyond auth.e2e-spec)', () => {
  const records = new StoredRecords();

  afterAll(() => {
    records.destroy();
  });

  describe('while the JWKS cannot be fetched', () => {
    let app: NestExpressApplication;
    const user = `jwks-down-${randomUUID()}`;
    let genuine: string;

    beforeAll(async () => {
      // A fresh app has no cached key (each JwtStrategy owns its JWKS client and cache), so nothing can pass.
      // Muted: the filter logs every 503 with its stack, as it should, and each request here is one.
      app = await createTestAppWith({ JWKS_URL: await unreachableJwksUrl() }, (uninitialised) =>
        uninitialised.useLogger(false),
      );
      genuine = await mintTestToken(user);
    });

    afterAll(async () => {
      await app.close();
    });

    it.each<[string, (test: request.Agent) => request.Test]>([
      ['POST /groups', (api) => api.post('/groups').send({ name: 'Never' })],
      ['POST /groups/:groupId/images', (api) => api.post(`/groups/${SOME_ID}/images`).send({ title: 'Never' })],
      ['DELETE /groups/:groupId', (api) => api.delete(`/groups/${SOME_ID}`)],
      ['DELETE /images/:imageId', (api) => api.delete(`/images/${SOME_ID}`)],
      ['POST /images/:imageId/classification', (api) => api.post(`/images/${SOME_ID}/classification`)],
    ])('answers %s with a genuine token 503 with the whole body, never a pass', async (_route, send) => {
      const response = await send(request.agent(app.getHttpServer()).set('Authorization', `Bearer ${genuine}`));

      expect({ status: response.status, body: response.body }).toEqual({ status: 503, body: KEYS_UNAVAILABLE });
    });

    it('has written nothing for that user', async () => {
      await expect(records.groupsOwnedBy(user)).resolves.toBe(0);
    });

    it('still serves public reads, and refuses a token that is no JWT without the keys', async () => {
      await request(app.getHttpServer()).get('/groups').query({ limit: 1 }).expect(200);
      const response = await request(app.getHttpServer())
        .post('/groups')
        .set('Authorization', 'Bearer garbage')
        .send({ name: 'Never' });

      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_TOKEN });
    });
  });

  describe('when the JWKS goes down after its key was cached', () => {
    let app: NestExpressApplication;
    let issuerJwks: JwksServer;

    beforeAll(async () => {
      issuerJwks = await startJwksServer([inject('devIdentity').publicJwk]);
      app = await createTestAppWith({ JWKS_URL: issuerJwks.url }, (uninitialised) => uninitialised.useLogger(false));
    });

    afterAll(async () => {
      await app.close();
      await issuerJwks.stop();
    });

    it('keeps accepting the cached key, and answers 503 for a key it never fetched', async () => {
      const createGroup = (token: string) =>
        request(app.getHttpServer())
          .post('/groups')
          .set('Authorization', `Bearer ${token}`)
          .send({ name: 'Cached key' });
      await createGroup(await mintTestToken('cached-1')).expect(201);
      await issuerJwks.stop();
      const { privateKey } = await generateKeyPair('RS256');

      await createGroup(await mintTestToken('cached-2')).expect(201);
      const unknownKey = await createGroup(
        await sign(privateKey, { alg: 'RS256', kid: 'rotated-key' }, { sub: 'mallory' }),
      );

      expect({ status: unknownKey.status, body: unknownKey.body }).toEqual({ status: 503, body: KEYS_UNAVAILABLE });
      expect(issuerJwks.requests).toBe(1);
    });
  });

  describe('when the JWKS publishes the key for encryption only (use: enc)', () => {
    let app: NestExpressApplication;
    let encryptionJwks: JwksServer;

    beforeAll(async () => {
      encryptionJwks = await startJwksServer([{ ...inject('devIdentity').publicJwk, use: 'enc' }]);
      app = await createTestAppWith({ JWKS_URL: encryptionJwks.url });
    });

    afterAll(async () => {
      await app.close();
      await encryptionJwks.stop();
    });

    it('refuses a token that key signed', async () => {
      const response = await request(app.getHttpServer())
        .post('/groups')
        .set('Authorization', `Bearer ${await mintTestToken('encryption-key')}`)
        .send({ name: 'Never' });

      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_TOKEN });
    });
  });

  describe('tokens that are wrong in other ways', () => {
    let app: NestExpressApplication;
    let attackerJwks: JwksServer;
    let attacker: { privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; publicJwk: JWK };
    const kid = () => inject('devIdentity').kid;

    beforeAll(async () => {
      app = await createTestApp();
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      attacker = {
        privateKey,
        publicJwk: { ...(await exportJWK(publicKey)), kid: 'attacker', alg: 'RS256', use: 'sig' },
      };
      attackerJwks = await startJwksServer([attacker.publicJwk]);
    });

    afterAll(async () => {
      await app.close();
      await attackerJwks.stop();
    });

    const createGroupWith = (token: string) =>
      request(app.getHttpServer()).post('/groups').set('Authorization', `Bearer ${token}`).send({ name: 'Never' });

    it.each<[string, () => Promise<string>]>([
      ['with no sub', async () => sign(await issuerKey(), { alg: 'RS256', kid: kid() }, {})],
      ['with an empty sub', async () => sign(await issuerKey(), { alg: 'RS256', kid: kid() }, { sub: '' })],
      [
        'with a numeric sub',
        async () => sign(await issuerKey(), { alg: 'RS256', kid: kid() }, { sub: 42 } as unknown as JWTPayload),
      ],
      [
        'signed with the issuer’s key under PS256 (only RS256 is accepted)',
        async () => sign(await issuerKey('PS256'), { alg: 'PS256', kid: kid() }, { sub: 'mallory' }),
      ],
      [
        'with its signature cut off',
        async () => `${(await mintTestToken('mallory')).split('.').slice(0, 2).join('.')}.`,
      ],
      [
        'whose jku header points at the attacker’s JWKS',
        () => sign(attacker.privateKey, { alg: 'RS256', kid: 'attacker', jku: attackerJwks.url }, { sub: 'mallory' }),
      ],
      [
        'whose jku header points at the attacker’s JWKS under the issuer’s kid',
        () => sign(attacker.privateKey, { alg: 'RS256', kid: kid(), jku: attackerJwks.url }, { sub: 'mallory' }),
      ],
      [
        'that embeds the attacker’s key in a jwk header',
        () => sign(attacker.privateKey, { alg: 'RS256', jwk: attacker.publicJwk }, { sub: 'mallory' }),
      ],
      [
        'whose kid is a path',
        () => sign(attacker.privateKey, { alg: 'RS256', kid: '../../../../dev/null' }, { sub: 'mallory' }),
      ],
    ])('refuses a token %s with 401 and the whole body', async (_case, token) => {
      const response = await createGroupWith(await token());

      expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: INVALID_TOKEN });
      expect(attackerJwks.requests).toBe(0);
    });

    it('ignores a token in the query string: only the Authorization header counts', async () => {
      const response = await request(app.getHttpServer())
        .post('/groups')
        .query({ access_token: await mintTestToken('mallory') })
        .send({ name: 'Never' });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 401,
        body: errorBody(401, 'A bearer token is required'),
      });
    });
  });
});
