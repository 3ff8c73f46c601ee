import type { Authenticator } from './authenticator';
import { sessionFromToken, sessionStore, type Session } from './session';

/** The local cloud's dev identity provider: `GET <tokenUrl>?sub=<user name>` mints a token for anyone. */
export class DevAuthenticator implements Authenticator {
  readonly mode = 'dev';

  constructor(
    private readonly tokenUrl: string,
    private readonly fetchImpl: typeof fetch = fetch.bind(globalThis),
  ) {}

  restore(): Promise<Session | undefined> {
    return Promise.resolve(sessionStore.load());
  }

  async signIn(userName = ''): Promise<Session> {
    const url = new URL(this.tokenUrl);
    url.searchParams.set('sub', userName.trim());
    let response: Response;
    try {
      response = await this.fetchImpl(url, { cache: 'no-store' });
    } catch (error) {
      throw new Error('The sign-in service cannot be reached. Is `npm start` running?', { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error_description?: unknown };
    if (!response.ok || typeof body.access_token !== 'string') {
      const reason = typeof body.error_description === 'string' ? body.error_description : `HTTP ${response.status}`;
      throw new Error(`Sign-in failed: ${reason}`);
    }
    const session = sessionFromToken(body.access_token);
    sessionStore.save(session);
    return session;
  }

  signOut(): Promise<void> {
    sessionStore.clear();
    return Promise.resolve();
  }

  forget(): Promise<void> {
    sessionStore.clear();
    return Promise.resolve();
  }

  /** Dev tokens are not renewed: a new one is a new sign-in. */
  onRenewed(): () => void {
    return () => {};
  }
}
