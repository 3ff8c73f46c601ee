import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DevIdentityProvider } from './dev-identity-provider.js';
import { loadOrCreateSigningKey } from './dev-signing-key.js';

const ISSUER = 'http://127.0.0.1:4000/';

describe('DevIdentityProvider', () => {
  let provider: DevIdentityProvider;
  let verify: (token: string) => ReturnType<typeof jwtVerify>;

  beforeAll(async () => {
    provider = new DevIdentityProvider(await loadOrCreateSigningKey(), ISSUER);
    const keys = createLocalJWKSet(provider.jwks());
    verify = (token) => jwtVerify(token, keys, { issuer: ISSUER, audience: 'udagram-api', algorithms: ['RS256'] });
  });

  it('publishes its JWKS and token endpoint under the issuer URL', () => {
    expect(provider.jwksUrl).toBe('http://127.0.0.1:4000/.well-known/jwks.json');
    expect(provider.tokenUrl).toBe('http://127.0.0.1:4000/token');
    expect(provider.jwks()).toEqual({ keys: [provider.publicJwk] });
  });

  it('mints an RS256 token for the user that its JWKS verifies, valid for one hour', async () => {
    const token = await provider.mintToken('alice');

    const { payload, protectedHeader } = await verify(token);

    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: provider.kid });
    expect(payload).toMatchObject({ sub: 'alice', iss: ISSUER, aud: 'udagram-api' });
    expect(payload.exp! - payload.iat!).toBe(3_600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('mints an already expired token when expiresIn is negative', async () => {
    const token = await provider.mintToken('alice', { expiresIn: -60 });

    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('accepts jose time spans for expiresIn and notBefore', async () => {
    const token = await provider.mintToken('alice', { expiresIn: '2h', notBefore: '10m' });

    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' });
    const { payload } = await verify(await provider.mintToken('alice', { expiresIn: '2h' }));
    expect(payload.exp! - payload.iat!).toBe(7_200);
  });

  it.each([
    ['issuer', { issuer: 'https://evil.example/' }, 'iss'],
    ['audience', { audience: 'another-api' }, 'aud'],
  ])('mints a token for another %s when told to', async (_what, overrides, claim) => {
    const token = await provider.mintToken('mallory', overrides);

    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim });
  });

  it('puts another kid in the header and more claims in the payload when told to', async () => {
    const token = await provider.mintToken('alice', { kid: 'unknown', claims: { scope: 'admin', sub: 'ignored' } });

    expect(decodeProtectedHeader(token).kid).toBe('unknown');
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ scope: 'admin', sub: 'alice' });
  });

  it('hands out copies of its keys, so that a test cannot change them', () => {
    const copy = provider.privateJwk;
    copy.d = 'changed';

    expect(provider.privateJwk.d).not.toBe('changed');
    expect(provider.publicJwk).not.toHaveProperty('d');
  });
});
