import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { AuthSettings } from '../config/runtime-config';
import type { Authenticator } from './authenticator';
import { sessionFromToken, type Session } from './session';

type OidcSettings = Extract<AuthSettings, { mode: 'oidc' }>;

/**
 * Authorization code + PKCE with an OIDC provider (Auth0-style settings: issuer, client id, and the API as
 * `audience`, so the access token is a JWT for the API). The app's own URL is the redirect URI; the route (hash)
 * the user was on travels in the OIDC state and is restored after the round trip.
 */
export class OidcAuthenticator implements Authenticator {
  readonly mode = 'oidc';
  private readonly manager: UserManager;

  constructor(settings: OidcSettings) {
    const appUrl = `${window.location.origin}${window.location.pathname}`;
    this.manager = new UserManager({
      authority: settings.issuer,
      client_id: settings.clientId,
      redirect_uri: appUrl,
      post_logout_redirect_uri: appUrl,
      response_type: 'code',
      // offline_access: Auth0 gives a refresh token only when asked (the local provider gives one to this client anyway).
      scope: 'openid profile offline_access',
      extraQueryParams: { audience: settings.audience },
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  async restore(): Promise<Session | undefined> {
    const parameters = new URLSearchParams(window.location.search);
    if (parameters.has('code') && parameters.has('state')) {
      const user = await this.manager.signinRedirectCallback();
      const hash = typeof user.state === 'string' ? user.state : '';
      // Drop code and state from the address bar (and from history).
      window.history.replaceState(null, '', `${window.location.pathname}${hash}`);
      return toSession(user);
    }
    if (parameters.has('error')) {
      window.history.replaceState(null, '', window.location.pathname);
      throw new Error(`Sign-in failed: ${parameters.get('error_description') ?? parameters.get('error')}`);
    }
    if (parameters.has('state')) {
      // Back from the provider's sign-out (RP-initiated logout): nothing to restore.
      await this.manager.signoutRedirectCallback().catch(() => undefined);
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
      return undefined;
    }
    const user = await this.manager.getUser();
    if (user && !user.expired) return toSession(user);
    // An expired access token is renewed with the refresh token, without leaving the page; failing that, the user
    // signs in again.
    if (user?.refresh_token)
      return this.manager.signinSilent().then(
        (renewed) => (renewed ? toSession(renewed) : undefined),
        () => undefined,
      );
    return undefined;
  }

  async signIn(): Promise<Session> {
    await this.manager.signinRedirect({ state: window.location.hash });
    return new Promise<never>(() => {});
  }

  /** Signs out at the provider too (RP-initiated logout), which sends the browser back to the app signed out. */
  async signOut(): Promise<void> {
    await this.manager.signoutRedirect();
    return new Promise<never>(() => {});
  }

  /** oidc-client-ts renews the access token a minute before it expires (with the refresh token) while the page is open. */
  onRenewed(listener: (session: Session) => void): () => void {
    return this.manager.events.addUserLoaded((user) => listener(toSession(user)));
  }

  /** Forgets the tokens here; the provider's own session (single sign-on) is left alone. */
  async forget(): Promise<void> {
    await this.manager.removeUser();
  }
}

function toSession(user: User): Session {
  return sessionFromToken(user.access_token);
}
