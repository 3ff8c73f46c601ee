import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdentityServer, type DevIdentityServer } from './dev-identity-server.js';
import { loadOrCreateSigningKey } from './dev-signing-key.js';

const BROWSER_ORIGIN = 'http://localhost:5173';

describe('the dev identity server', () => {
  let server: DevIdentityServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startDevIdentityServer({ signingKey: await loadOrCreateSigningKey(), log: (line) => lines.push(line) });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('listens on loopback, with its base URL as the issuer, and says so', () => {
    expect(server.identity.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.identity.audience).toBe('udagram-api');
    expect(lines).toEqual([expect.stringMatching(/^Dev identity provider on http:\/\/127\.0\.0\.1:\d+\/ \(kid \S+\) ready in/)]);
  });

  it('serves its public key set at /.well-known/jwks.json to any origin', async () => {
    const response = await fetch(server.identity.jwksUrl, { headers: { origin: BROWSER_ORIGIN } });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ keys: [server.identity.publicJwk] });
  });

  it('issues a Bearer token for ?sub= that verifies against the served JWKS, uncached', async () => {
    const response = await fetch(`${server.identity.tokenUrl}?sub=alice.smith@example-1_2`, { headers: { origin: BROWSER_ORIGIN } });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3_600 });
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(server.identity.jwksUrl)), {
      issuer: server.identity.issuer,
      audience: 'udagram-api',
    });
    expect(payload.sub).toBe('alice.smith@example-1_2');
  });

  it.each([
    ['no sub', ''],
    ['an empty sub', '?sub='],
    ['a sub of 65 characters', `?sub=${'a'.repeat(65)}`],
    ['a sub with a space', '?sub=alice%20smith'],
    ['a sub with a slash', '?sub=alice/..'],
    ['two subs', '?sub=alice&sub=bob'],
  ])('answers 400 invalid_request to %s', async (_case, query) => {
    const response = await fetch(`${server.identity.tokenUrl}${query}`);

    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts a sub of 64 characters', async () => {
    const response = await fetch(`${server.identity.tokenUrl}?sub=${'a'.repeat(64)}`);

    expect(response.status).toBe(200);
  });

  it('answers a CORS preflight from another origin', async () => {
    const response = await fetch(server.identity.tokenUrl, {
      method: 'OPTIONS',
      headers: { origin: BROWSER_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('*');
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    const elsewhere = await fetch(new URL('/admin', server.identity.issuer));
    const posted = await fetch(server.identity.tokenUrl, { method: 'POST', body: 'sub=alice' });

    expect(elsewhere.status).toBe(404);
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it('stops listening when stopped', async () => {
    const other = await startDevIdentityServer({ signingKey: await loadOrCreateSigningKey(), log: () => {} });
    await fetch(other.identity.jwksUrl);

    await other.stop();

    await expect(fetch(other.identity.jwksUrl)).rejects.toThrow();
  });
});
