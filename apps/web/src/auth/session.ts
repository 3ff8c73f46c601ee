/** A signed-in user: the bearer token the API gets, and who it says the user is. */
export interface Session {
  accessToken: string;
  /** The token's `sub`: what the API records as an owner's `userId`. */
  userId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Reads `sub` and `exp` from a JWT's payload. Nothing is verified here: the API verifies every token it gets. */
export function sessionFromToken(accessToken: string): Session {
  const payload = accessToken.split('.')[1];
  if (!payload) throw new InvalidTokenError('The access token is not a JWT.');
  let claims: { sub?: unknown; exp?: unknown };
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes)) as typeof claims;
  } catch (error) {
    throw new InvalidTokenError('The access token’s payload cannot be read.', { cause: error });
  }
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
    throw new InvalidTokenError('The access token has no subject or no expiry.');
  }
  return { accessToken, userId: claims.sub, expiresAt: claims.exp * 1000 };
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt <= now;
}

const STORAGE_KEY = 'udagram.session';

/** In sessionStorage: it survives a reload but not the tab, and other sites cannot read it. */
export const sessionStore = {
  load(): Session | undefined {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored === null) return undefined;
    try {
      const session = sessionFromToken(JSON.parse(stored) as string);
      return isExpired(session) ? undefined : session;
    } catch {
      return undefined;
    }
  },
  save(session: Session): void {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session.accessToken));
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
