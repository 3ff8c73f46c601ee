/**
 * The settings one build needs to run anywhere, read from /config.json beside index.html: written by the local
 * launcher, uploaded with the static files in AWS.
 */
export type AuthSettings =
  { mode: 'dev'; tokenUrl: string } | { mode: 'oidc'; issuer: string; clientId: string; audience: string };

export interface RuntimeConfig {
  apiUrl: string;
  websocketUrl?: string;
  auth: AuthSettings;
}

export class InvalidRuntimeConfigError extends Error {
  override readonly name = 'InvalidRuntimeConfigError';
}

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchImpl('config.json', { cache: 'no-store' });
  } catch (error) {
    throw new InvalidRuntimeConfigError('Could not load config.json: the site is unreachable.', { cause: error });
  }
  if (!response.ok) throw new InvalidRuntimeConfigError(`Could not load config.json (HTTP ${response.status}).`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new InvalidRuntimeConfigError('config.json is not valid JSON.', { cause: error });
  }
  return parseRuntimeConfig(body);
}

/** Checks the shape and the URLs, so that a wrong deployment says what is wrong instead of failing later. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (!isRecord(value)) throw new InvalidRuntimeConfigError('config.json must be an object.');
  const apiUrl = url(value.apiUrl, 'apiUrl', ['http:', 'https:']).replace(/\/+$/, '');
  const websocketUrl =
    value.websocketUrl === undefined ? undefined : url(value.websocketUrl, 'websocketUrl', ['ws:', 'wss:']);
  const auth = value.auth;
  if (!isRecord(auth)) throw new InvalidRuntimeConfigError('config.json: auth must be an object.');
  if (auth.mode === 'dev') {
    return {
      apiUrl,
      websocketUrl,
      auth: { mode: 'dev', tokenUrl: url(auth.tokenUrl, 'auth.tokenUrl', ['http:', 'https:']) },
    };
  }
  if (auth.mode === 'oidc') {
    return {
      apiUrl,
      websocketUrl,
      auth: {
        mode: 'oidc',
        issuer: url(auth.issuer, 'auth.issuer', ['https:', 'http:']),
        clientId: text(auth.clientId, 'auth.clientId'),
        audience: text(auth.audience, 'auth.audience'),
      },
    };
  }
  throw new InvalidRuntimeConfigError('config.json: auth.mode must be "dev" or "oidc".');
}

function url(value: unknown, name: string, protocols: string[]): string {
  const raw = text(value, name);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new InvalidRuntimeConfigError(`config.json: ${name} must be an absolute URL, not "${raw}".`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new InvalidRuntimeConfigError(`config.json: ${name} must be a ${protocols.join(' or ')} URL, not "${raw}".`);
  }
  return raw;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRuntimeConfigError(`config.json: ${name} must be a non-empty string.`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
