import type { NestExpressApplication } from '@nestjs/platform-express';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { createTestApp } from './test-app.js';

const invalidToken = { statusCode: 401, error: 'Unauthorized', message: 'The bearer token is invalid' };

describe('authentication (e2e)', () => {
  let app: NestExpressApplication;
  let publicJwk: JWK & { kid: string };

  beforeAll(async () => {
    app = await createTestApp();
    const jwks = (await (await fetch(process.env.JWKS_URL!)).json()) as { keys: (JWK & { kid: string })[] };
    publicJwk = jwks.keys[0]!;
  });

  afterAll(async () => {
    await app.close();
  });

  const createGroupWith = (token: string) =>
    request(app.getHttpServer()).post('/groups').set('Authorization', `Bearer ${token}`).send({ name: 'Auth test' });

  const claims = () => ({ sub: 'mallory', iss: process.env.JWT_ISSUER!, aud: process.env.JWT_AUDIENCE! });

  it('accepts a token from the identity provider and uses its sub as the user id', async () => {
    const response = await createGroupWith(await mintTestToken('carol')).expect(201);

    expect(response.body.newItem.userId).toBe('carol');
  });

  it.each([
    ['expired', { expiresIn: '-1m' }, 'The token has expired'],
    ['not valid yet', { notBefore: '10m' }, 'The token is not valid yet'],
    ['from another issuer', { issuer: 'https://evil.example/' }, invalidToken.message],
    ['for another audience', { audience: 'another-api' }, invalidToken.message],
  ])('refuses a token that is %s', async (_case, overrides, message) => {
    const response = await createGroupWith(await mintTestToken('mallory', overrides)).expect(401);

    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims(), iat: now, exp: now + 600 })}.`;

    const response = await createGroupWith(unsigned).expect(401);

    expect(response.body).toEqual(invalidToken);
  });

  it('refuses an HS256 token whose secret is the RSA public key', async () => {
    const publicKeyPem = await exportSPKI(
      (await importJWK(publicJwk, 'RS256', { extractable: true })) as Parameters<typeof exportSPKI>[0],
    );
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(publicKeyPem));

    const response = await createGroupWith(forged).expect(401);

    expect(response.body).toEqual(invalidToken);
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);

    const response = await createGroupWith(forged).expect(401);

    expect(response.body).toEqual(invalidToken);
  });

  it('refuses a token with an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);

    const response = await createGroupWith(forged).expect(401);

    expect(response.body).toEqual(invalidToken);
  });

  it('refuses a token signed by the identity provider’s own key that never expires (no exp)', async () => {
    const { privateJwk, kid } = inject('devIdentity');
    const neverExpiring = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt()
      .sign(await importJWK(privateJwk, 'RS256'));

    const response = await createGroupWith(neverExpiring).expect(401);

    expect(response.body).toEqual(invalidToken);
  });

  it('refuses a genuine token whose payload was changed', async () => {
    const [header, , signature] = (await mintTestToken('mallory')).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...claims(), sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');

    const response = await createGroupWith(`${header}.${payload}.${signature}`).expect(401);

    expect(response.body).toEqual(invalidToken);
  });
});
