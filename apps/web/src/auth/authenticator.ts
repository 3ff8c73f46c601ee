import type { AuthSettings } from '../config/runtime-config';
import type { Session } from './session';

/** How users sign in: a dev token endpoint locally, an OIDC provider (Auth0-style) in AWS. */
export interface Authenticator {
  readonly mode: AuthSettings['mode'];
  /** At start: the session kept from before, or the one a provider's redirect just brought back. */
  restore(): Promise<Session | undefined>;
  /** Dev: signs in as `userName` at once. OIDC: leaves the page for the provider (the promise never settles). */
  signIn(userName?: string): Promise<Session>;
  /** Ends the session; with an OIDC provider, its own session too (the page leaves for the provider and comes back). */
  signOut(): Promise<void>;
  /** Forgets the session here only, e.g. when the API no longer takes its token. */
  forget(): Promise<void>;
  /** Tells of sessions renewed in the background (OIDC: a refresh before the access token expires); returns an unsubscribe. */
  onRenewed(listener: (session: Session) => void): () => void;
}

export async function createAuthenticator(settings: AuthSettings): Promise<Authenticator> {
  if (settings.mode === 'dev') {
    const { DevAuthenticator } = await import('./dev-authenticator');
    return new DevAuthenticator(settings.tokenUrl);
  }
  // Loaded only when configured: local builds never download the OIDC library.
  const { OidcAuthenticator } = await import('./oidc-authenticator');
  return new OidcAuthenticator(settings);
}
