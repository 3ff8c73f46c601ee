import { sendJson } from '@app/emulator-http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevIdentityProvider } from './dev-identity-provider.js';
import type { DevSigningKey } from './dev-signing-key.js';
import { LOOPBACK } from './free-port.js';
import { startStopwatch } from './stopwatch.js';

export const JWKS_PATH = '/.well-known/jwks.json';
export const TOKEN_PATH = '/token';
const SUBJECT = /^[A-Za-z0-9_.@-]{1,64}$/;

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
 * Serves the dev identity provider on a free loopback port: its JWKS, and a dev-only token endpoint
 * (`GET /token?sub=alice`) that Swagger UI and a browser app on another origin may call.
 */
export async function startDevIdentityServer(options: DevIdentityServerOptions): Promise<DevIdentityServer> {
  const elapsed = startStopwatch();
  let identity: DevIdentityProvider | undefined;
  const server = createServer((request, response) => {
    answer(identity!, request, response).catch((error: Error) => {
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
  options.log(`Dev identity provider on ${identity.issuer} (kid ${identity.kid}) ready in ${elapsed()}`);

  return {
    identity,
    async stop() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function answer(identity: DevIdentityProvider, request: IncomingMessage, response: ServerResponse): Promise<void> {
  response.setHeader('Access-Control-Allow-Origin', '*');
  const url = new URL(request.url ?? '/', identity.issuer);

  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Max-Age': '600',
    });
    response.end();
    return;
  }
  if (url.pathname !== JWKS_PATH && url.pathname !== TOKEN_PATH) {
    sendJson(response, 404, { error: 'not_found' });
    return;
  }
  if (request.method !== 'GET') {
    response.setHeader('Allow', 'GET, OPTIONS');
    sendJson(response, 405, { error: 'method_not_allowed' });
    return;
  }
  if (url.pathname === JWKS_PATH) {
    sendJson(response, 200, identity.jwks());
    return;
  }

  const subjects = url.searchParams.getAll('sub');
  if (subjects.length !== 1 || !SUBJECT.test(subjects[0])) {
    sendJson(response, 400, {
      error: 'invalid_request',
      error_description: 'sub must be one user name of 1 to 64 characters from A-Z a-z 0-9 _ . @ -',
    });
    return;
  }
  const accessToken = await identity.mintToken(subjects[0]);
  // Token responses must not be cached (RFC 6749, section 5.1).
  response.setHeader('Cache-Control', 'no-store');
  sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: identity.tokenLifetimeSeconds });
}
