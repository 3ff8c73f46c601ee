import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdentityServer, type DevIdentityServer } from './dev-identity-server.js';
import { loadOrCreateSigningKey } from './dev-signing-key.js';

const BROWSER_ORIGIN = 'http://localhost:5173';

describe('the dev identity server', () => {
  let server: DevIdentityServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startDevIdentityServer({
      signingKey: await loadOrCreateSigningKey(),
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('listens on loopback, with its base URL as the issuer, and says so', () => {
    expect(server.identity.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.identity.audience).toBe('udagram-api');
    expect(lines).toEqual([
      expect.stringMatching(/^Dev identity provider on http:\/\/127\.0\.0\.1:\d+\/ \(kid \S+\) ready in/),
    ]);
  });

  it('serves its public key set at /.well-known/jwks.json to any origin', async () => {
    const response = await fetch(server.identity.jwksUrl, { headers: { origin: 'https://anywhere.example' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(await response.json()).toEqual({ keys: [server.identity.publicJwk] });
  });

  it('issues a Bearer token for ?sub= that verifies against the served JWKS, uncached', async () => {
    const response = await fetch(`${server.identity.tokenUrl}?sub=alice.smith@example-1_2`, {
      headers: { origin: BROWSER_ORIGIN },
    });

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
      headers: {
        origin: BROWSER_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('*');
  });

  it('answers 404 to other paths and 405 to other methods on the token shortcut', async () => {
    const elsewhere = await fetch(new URL('/admin', server.identity.issuer));
    const posted = await fetch(server.identity.tokenUrl, { method: 'POST', body: 'sub=alice' });

    expect(elsewhere.status).toBe(404);
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it('publishes an OpenID Connect discovery document for code + PKCE with its JWKS', async () => {
    const response = await fetch(new URL('.well-known/openid-configuration', server.identity.issuer));

    expect(response.status).toBe(200);
    const discovery = await response.json();
    expect(discovery).toMatchObject({
      issuer: server.identity.issuer,
      jwks_uri: server.identity.jwksUrl,
      authorization_endpoint: new URL('authorize', server.identity.issuer).href,
      token_endpoint: new URL('oauth/token', server.identity.issuer).href,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      end_session_endpoint: expect.any(String),
    });
  });

  it('signs a user in with any user name through code + PKCE and issues an RS256 JWT for the API', async () => {
    const redirectUri = 'http://127.0.0.1:3123/docs/oauth2-redirect.html';
    const { code, cookies } = await signInThroughBrowserSteps(
      server.identity.issuer,
      {
        client_id: 'udagram-swagger-ui',
        redirect_uri: redirectUri,
        audience: 'udagram-api',
      },
      'alice.smith',
    );

    const token = await exchangeCode(server.identity.issuer, 'udagram-swagger-ui', redirectUri, code);

    expect(cookies.size).toBeGreaterThan(0);
    expect(token).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), expires_in: 3_600 });
    expect(decodeProtectedHeader(token.access_token)).toMatchObject({ alg: 'RS256', kid: server.identity.kid });
    const { payload } = await jwtVerify(token.access_token, createRemoteJWKSet(new URL(server.identity.jwksUrl)), {
      issuer: server.identity.issuer,
      audience: 'udagram-api',
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({ sub: 'alice.smith', client_id: 'udagram-swagger-ui' });
  });

  it('refuses a token request without the PKCE verifier', async () => {
    const redirectUri = 'http://127.0.0.1:4321/docs/oauth2-redirect.html';
    const { code } = await signInThroughBrowserSteps(
      server.identity.issuer,
      { client_id: 'udagram-swagger-ui', redirect_uri: redirectUri },
      'bob',
    );

    const response = await fetch(new URL('oauth/token', server.identity.issuer), {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: 'udagram-swagger-ui',
        redirect_uri: redirectUri,
        code_verifier: 'x'.repeat(43),
      }),
    });

    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a redirect URI off loopback and an audience other than the API', async () => {
    const offLoopback = await fetch(
      authorizeUrl(
        server.identity.issuer,
        { client_id: 'udagram-web', redirect_uri: 'https://evil.example/' },
        'c'.repeat(43),
      ),
      { redirect: 'manual' },
    );
    const otherAudience = await fetch(
      authorizeUrl(
        server.identity.issuer,
        { client_id: 'udagram-web', redirect_uri: 'http://127.0.0.1:5173/', audience: 'https://other-api' },
        'c'.repeat(43),
      ),
      { redirect: 'manual' },
    );

    expect(offLoopback.status).toBe(400);
    expect(await offLoopback.text()).toContain('redirect_uri did not match any of the client');
    expect(otherAudience.status).toBe(303);
    expect(new URL(otherAudience.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
  });

  it('re-shows the sign-in page for a user name the API could not take', async () => {
    const started = await fetch(
      authorizeUrl(
        server.identity.issuer,
        { client_id: 'udagram-web', redirect_uri: 'http://127.0.0.1:5173/' },
        'c'.repeat(43),
      ),
      { redirect: 'manual' },
    );
    const cookie = cookiesOf(started).join('; ');
    const interaction = new URL(started.headers.get('location')!, server.identity.issuer);

    const page = await fetch(interaction, { headers: { cookie } });
    const refused = await fetch(new URL(`${interaction.pathname}/login`, interaction), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=%3Cscript%3E',
      redirect: 'manual',
    });

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('name="username"');
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('A user name is 1 to 64 characters');
    expect(html).not.toContain('<script>');
  });

  it('stops listening when stopped', async () => {
    const other = await startDevIdentityServer({ signingKey: await loadOrCreateSigningKey(), log: () => {} });
    await fetch(other.identity.jwksUrl);

    await other.stop();

    await expect(fetch(other.identity.jwksUrl)).rejects.toThrow();
  });
});

const CODE_VERIFIER = randomBytes(32).toString('base64url');

function authorizeUrl(issuer: string, parameters: Record<string, string>, verifier = CODE_VERIFIER): URL {
  const url = new URL('authorize', issuer);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = {
    response_type: 'code',
    scope: 'openid profile',
    state: 'st4te',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...parameters,
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
}

/** What a browser does: follows the redirects with its cookies, fills in the sign-in form, ends at the redirect URI. */
async function signInThroughBrowserSteps(issuer: string, parameters: Record<string, string>, userName: string) {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of cookiesOf(response)) cookies.set(cookie.split('=')[0]!, cookie);
  };
  const header = () => [...cookies.values()].join('; ');
  let response = await fetch(authorizeUrl(issuer, parameters), { redirect: 'manual' });
  for (let step = 0; step < 10; step++) {
    remember(response);
    const location = response.headers.get('location');
    if (location === null) {
      const page = await response.text();
      const action = /action="([^"]+)"/.exec(page)?.[1];
      if (action === undefined) throw new Error(`No sign-in form: ${response.status} ${page.slice(0, 300)}`);
      response = await fetch(new URL(action, issuer), {
        method: 'POST',
        headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: userName }),
        redirect: 'manual',
      });
      continue;
    }
    const next = new URL(location, issuer);
    if (next.href.startsWith(parameters.redirect_uri!)) {
      expect(next.searchParams.get('state')).toBe('st4te');
      return { code: next.searchParams.get('code')!, cookies };
    }
    response = await fetch(next, { headers: { cookie: header() }, redirect: 'manual' });
  }
  throw new Error('Too many redirects');
}

async function exchangeCode(issuer: string, clientId: string, redirectUri: string, code: string) {
  const response = await fetch(new URL('oauth/token', issuer), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: redirectUri,
      code_verifier: CODE_VERIFIER,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; token_type: string; expires_in: number };
}
