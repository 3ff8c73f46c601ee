import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevSigningKey } from './dev-signing-key.js';

/** A user name the dev sign-in page and `GET /token?sub=` take: what the API sees as `sub`. */
export const SUBJECT = /^[A-Za-z0-9_.@-]{1,64}$/;
export const SUBJECT_RULE = '1 to 64 characters from A-Z a-z 0-9 _ . @ -';

/** The clients registered like an Auth0 tenant's applications: public (no secret), code + PKCE, loopback redirects. */
export const SWAGGER_UI_CLIENT_ID = 'udagram-swagger-ui';
export const WEB_APP_CLIENT_ID = 'udagram-web';

/**
 * RFC 8707 wants a resource indicator to be an absolute URI; the API's audience (`udagram-api`, the `aud` it checks)
 * is not one. Clients ask as they ask Auth0, with `audience=udagram-api`; the provider maps that to this indicator.
 */
export const API_RESOURCE_INDICATOR = 'urn:udagram:api';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/;
const SIGN_IN_BODY_LIMIT = 4096;

export interface DevOpenIdProviderOptions {
  issuer: string;
  signingKey: DevSigningKey;
  audience: string;
  accessTokenLifetimeSeconds: number;
}

/**
 * A real OpenID Connect provider (`oidc-provider`, OpenID certified) configured like the Auth0 tenant used in AWS:
 * discovery, the JWKS of the local cloud's persisted signing key, authorization code + PKCE for public clients,
 * Auth0's `audience` parameter selecting the API, RS256 JWT access tokens with iss/aud/sub as the API checks them,
 * refresh tokens, RP-initiated logout. Its sign-in page takes any user name and no password: it is for development.
 */
export function createDevOpenIdProvider(options: DevOpenIdProviderOptions): Provider {
  const { audience } = options;
  const configuration: Configuration = {
    // Chosen on purpose: the provider's state (sessions, grants, codes) dies with the process, as a dev provider's
    // should. Left unset, oidc-provider picks the same storage but warns on the terminal at every start.
    adapter: createMemoryAdapter(),
    clients: [
      {
        client_id: SWAGGER_UI_CLIENT_ID,
        client_name: 'Udagram API explorer (Swagger UI)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // A loopback redirect of a native client matches on any port (RFC 8252, 7.3): the API's port may vary.
        redirect_uris: ['http://127.0.0.1/docs/oauth2-redirect.html'],
      },
      {
        client_id: WEB_APP_CLIENT_ID,
        client_name: 'Udagram web app',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/'],
        post_logout_redirect_uris: ['http://127.0.0.1/'],
      },
    ],
    jwks: { keys: [options.signingKey.privateJwk as never] },
    findAccount: (_context, sub) => ({ accountId: sub, claims: () => ({ sub, name: sub, preferred_username: sub }) }),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'profile', 'offline_access'],
    responseTypes: ['code'],
    extraParams: ['audience'],
    pkce: { required: () => true },
    // The cookies only tie a browser to its sign-in; they die with the process like the sessions they sign.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Auth0's paths; `/token` stays the dev shortcut's.
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      userinfo: '/userinfo',
      end_session: '/oidc/logout',
      revocation: '/oauth/revoke',
      jwks: '/.well-known/jwks.json',
    },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    // The browser apps' origins are loopback ones with any port, like their redirect URIs.
    clientBasedCORS: (_context, origin, client) => isLoopbackOrigin(origin) && client.clientAuthMethod === 'none',
    // The web app keeps signed in with a refresh token (as with Auth0's refresh-token rotation), asked or not.
    issueRefreshToken: (_context, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: options.accessTokenLifetimeSeconds,
      AuthorizationCode: 60,
      IdToken: options.accessTokenLifetimeSeconds,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
      RefreshToken: 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: (context) => {
          const requested = (context.oidc.params as { audience?: string } | undefined)?.audience;
          if (requested !== undefined && requested !== audience) {
            throw new errors.InvalidTarget(`unknown audience; this provider issues tokens for ${audience}`);
          }
          return API_RESOURCE_INDICATOR;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_context, indicator) => {
          if (indicator !== API_RESOURCE_INDICATOR) throw new errors.InvalidTarget();
          return {
            audience,
            scope: 'openid profile',
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenLifetimeSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    renderError: (context, out) => {
      context.type = 'html';
      context.body = page(
        'Sign-in error',
        `<p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`,
      );
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // The issuer is plain http on loopback: no proxy headers to trust.
  provider.proxy = false;
  return provider;
}

/**
 * The sign-in page and its form (`/interaction/<uid>`, `/interaction/<uid>/login`); undefined for other paths.
 * Consent is given for the user: the clients are the tenant's own applications, as Auth0 skips it for first-party apps.
 */
export async function answerInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const match = INTERACTION_PATH.exec(path);
  if (match === null) return false;
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== match[1]) throw new errors.SessionNotFound('interaction mismatch');

  if (match[2] === '/login') {
    if (request.method !== 'POST') return sendPage(response, 405, page('Sign in', '<p>Use the sign-in form.</p>'));
    const userName = new URLSearchParams(await readBody(request)).get('username')?.trim() ?? '';
    if (!SUBJECT.test(userName))
      return sendPage(response, 400, signInPage(details.uid, details.params.client_id, userName, true));
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: userName } },
      { mergeWithLastSubmission: false },
    );
    return true;
  }

  if (details.prompt.name === 'login')
    return sendPage(response, 200, signInPage(details.uid, details.params.client_id, '', false));

  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
  if (grant === undefined) throw new errors.SessionNotFound('grant not found');
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
  return true;
}

function signInPage(uid: string, clientId: unknown, userName: string, invalid: boolean): string {
  const error = invalid ? `<p class="error" role="alert">A user name is ${SUBJECT_RULE}.</p>` : '';
  return page(
    'Sign in to Udagram',
    `<p>Local development sign-in for <b>${escapeHtml(String(clientId))}</b>: any user name, no password.</p>
    ${error}
    <form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
      <label for="username">User name</label>
      <input id="username" name="username" value="${escapeHtml(userName)}" required maxlength="64" pattern="[A-Za-z0-9_.@\\-]{1,64}" autofocus>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

async function logoutSource(context: KoaContextWithOIDC, form: string): Promise<void> {
  context.body = page(
    'Sign out',
    `<p>Sign out of the local identity provider?</p>${form}
    <button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
    <button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(context: KoaContextWithOIDC): Promise<void> {
  context.body = page('Signed out', '<p>You are signed out.</p>');
}

/** A page with no script and no remote resource (its own CSP says so). */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0;font-size:1rem}input,button{padding:.5rem;box-sizing:border-box}.error{color:#b00020}</style>
</head>
<body><h1>${escapeHtml(title)}</h1>${body}</body>
</html>`;
}

function sendPage(response: ServerResponse, status: number, html: string): true {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: Chromium applies it to the redirects after the form's POST, which end at the client's origin.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(html);
  return true;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > SIGN_IN_BODY_LIMIT) throw new errors.InvalidRequest('the sign-in form is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isLoopbackOrigin(origin: string): boolean {
  const url = URL.parse(origin);
  return url !== null && url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
