import { sendJson } from './http-messages.js';
import type Provider from 'oidc-provider';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevIdentityProvider } from './dev-identity-provider.js';
import { answerInteraction, createDevOpenIdProvider, SUBJECT, SUBJECT_RULE } from './dev-openid-provider.js';
import type { DevSigningKey } from './dev-signing-key.js';
import { LOOPBACK } from './free-port.js';
import { startStopwatch } from './stopwatch.js';

export const JWKS_PATH = '/.well-known/jwks.json';
export const TOKEN_PATH = '/token';

export interface DevIdentityServerOptions {
  signingKey: DevSigningKey;
  audience?: string;
  log: (line: string) => void;
}

export interface DevIdentityServer {
  identity: DevIdentityProvider;
  stop(): Promise<void>;
}

/**
 * Serves the dev identity provider on a free loopback port: an OpenID Connect provider (discovery at
 * /.well-known/openid-configuration, its JWKS, authorization code + PKCE with a sign-in page, token, refresh,
 * logout), and beside it a dev-only shortcut for scripts and tests (`GET /token?sub=alice`) that signs the same
 * access tokens without a browser.
 */
export async function startDevIdentityServer(options: DevIdentityServerOptions): Promise<DevIdentityServer> {
  const elapsed = startStopwatch();
  let identity: DevIdentityProvider | undefined;
  let provider: Provider | undefined;
  let openIdHandler: OpenIdHandler | undefined;
  const server = createServer((request, response) => {
    answer(identity!, provider!, openIdHandler!, request, response).catch((error: Error) => {
      options.log(`Dev identity provider error: ${error.stack ?? error.message}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;
  identity = new DevIdentityProvider(options.signingKey, `http://${LOOPBACK}:${port}/`, options.audience);
  provider = createDevOpenIdProvider({
    issuer: identity.issuer,
    signingKey: options.signingKey,
    audience: identity.audience,
    accessTokenLifetimeSeconds: identity.tokenLifetimeSeconds,
  });
  provider.on('server_error', (_context, error: Error) =>
    options.log(`Dev identity provider error: ${error.stack ?? error.message}`),
  );
  openIdHandler = provider.callback();
  options.log(`Dev identity provider on ${identity.issuer} (kid ${identity.kid}) ready in ${elapsed()}`);

  return {
    identity,
    async stop() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}

/** oidc-provider's request handler: it answers its own errors, and its promise says when it is done. */
type OpenIdHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

async function answer(
  identity: DevIdentityProvider,
  provider: Provider,
  openIdHandler: OpenIdHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', identity.issuer);
  if (url.pathname === TOKEN_PATH) {
    await answerTokenShortcut(identity, url, request, response);
    return;
  }
  if (await answerInteraction(provider, request, response)) return;
  await openIdHandler(request, response);
}

/** `GET /token?sub=alice`: an access token for any user name, as the sign-in would give, for scripts and tests. */
async function answerTokenShortcut(
  identity: DevIdentityProvider,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
) {
  response.setHeader('Access-Control-Allow-Origin', '*');
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Max-Age': '600',
    });
    response.end();
    return;
  }
  if (request.method !== 'GET') {
    response.setHeader('Allow', 'GET, OPTIONS');
    sendJson(response, 405, { error: 'method_not_allowed' });
    return;
  }
  const subjects = url.searchParams.getAll('sub');
  if (subjects.length !== 1 || !SUBJECT.test(subjects[0])) {
    sendJson(response, 400, {
      error: 'invalid_request',
      error_description: `sub must be one user name of ${SUBJECT_RULE}`,
    });
    return;
  }
  const accessToken = await identity.mintToken(subjects[0]);
  // Token responses must not be cached (RFC 6749, section 5.1).
  response.setHeader('Cache-Control', 'no-store');
  sendJson(response, 200, {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: identity.tokenLifetimeSeconds,
  });
}
