import { describe, expect, it } from 'vitest';
import { InvalidRuntimeConfigError, loadRuntimeConfig, parseRuntimeConfig } from './runtime-config';

describe('parseRuntimeConfig', () => {
  it('accepts the local launcher’s dev settings, dropping a trailing slash from the API URL', () => {
    expect(
      parseRuntimeConfig({
        apiUrl: 'http://127.0.0.1:3000/',
        auth: { mode: 'dev', tokenUrl: 'http://127.0.0.1:4000/token' },
      }),
    ).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      websocketUrl: undefined,
      auth: { mode: 'dev', tokenUrl: 'http://127.0.0.1:4000/token' },
    });
  });

  it('accepts OIDC settings and a WebSocket URL', () => {
    const config = {
      apiUrl: 'https://api.example.com',
      websocketUrl: 'wss://ws.example.com/prod',
      auth: { mode: 'oidc', issuer: 'https://tenant.auth0.com/', clientId: 'abc', audience: 'https://udagram-api' },
    };

    expect(parseRuntimeConfig(config)).toEqual(config);
  });

  it.each([
    [{ auth: { mode: 'dev', tokenUrl: 'http://x/token' } }, 'apiUrl must be a non-empty string'],
    [
      { apiUrl: 'api.example.com', auth: { mode: 'dev', tokenUrl: 'http://x/token' } },
      'apiUrl must be an absolute URL',
    ],
    [
      { apiUrl: 'http://a', websocketUrl: 'http://b', auth: { mode: 'dev', tokenUrl: 'http://x' } },
      'websocketUrl must be a ws: or wss: URL',
    ],
    [{ apiUrl: 'http://a', auth: { mode: 'saml' } }, 'auth.mode must be "dev" or "oidc"'],
    [
      { apiUrl: 'http://a', auth: { mode: 'oidc', issuer: 'https://i/', clientId: '', audience: 'x' } },
      'auth.clientId must be a non-empty string',
    ],
  ])('says what is wrong with %j', (config, message) => {
    expect(() => parseRuntimeConfig(config)).toThrow(message);
  });
});

describe('loadRuntimeConfig', () => {
  it('reads config.json beside the page, bypassing the cache', async () => {
    const requests: [RequestInfo | URL, RequestInit | undefined][] = [];
    const fetchConfig: typeof fetch = async (input, init) => {
      requests.push([input, init]);
      return Response.json({ apiUrl: 'http://a', auth: { mode: 'dev', tokenUrl: 'http://b/token' } });
    };

    await expect(loadRuntimeConfig(fetchConfig)).resolves.toMatchObject({ apiUrl: 'http://a' });
    expect(requests).toEqual([['config.json', { cache: 'no-store' }]]);
  });

  it('reports a missing file as such', async () => {
    const missing: typeof fetch = async () => new Response('Not found', { status: 404 });

    await expect(loadRuntimeConfig(missing)).rejects.toThrow(
      new InvalidRuntimeConfigError('Could not load config.json (HTTP 404).'),
    );
  });
});
