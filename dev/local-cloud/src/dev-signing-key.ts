import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEV_SIGNING_ALGORITHM = 'RS256';
const KEY_FILE = 'signing-key.json';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** The dev identity provider's RSA key pair, as JWKs carrying their `kid`, `alg` and `use`. */
export interface DevSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * Loads the key pair kept in `directory`, making it on first use, so that tokens stay valid across restarts.
 * Without a directory the key lives in memory only.
 */
export async function loadOrCreateSigningKey(directory?: string): Promise<DevSigningKey> {
  if (!directory) return createSigningKey();
  const file = join(directory, KEY_FILE);
  const stored = await readStoredKey(file);
  if (stored) return stored;
  const created = await createSigningKey();
  await mkdir(directory, { recursive: true });
  // 'wx': never overwrite a key another start wrote meanwhile; that one then wins.
  try {
    await writeFile(file, `${JSON.stringify(created.privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readStoredKey(file))!;
    throw error;
  }
  return created;
}

async function createSigningKey(): Promise<DevSigningKey> {
  const { privateKey } = await generateKeyPair(DEV_SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return fromPrivateJwk({ ...jwk, kid: await calculateJwkThumbprint(jwk) });
}

async function readStoredKey(file: string): Promise<DevSigningKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const jwk = JSON.parse(text) as JWK;
  if (jwk.kty !== 'RSA' || !jwk.d || !jwk.n || !jwk.kid) {
    throw new Error(`${file} is not an RSA private JWK with a kid; delete it to make a new key`);
  }
  return fromPrivateJwk(jwk);
}

function fromPrivateJwk(jwk: JWK): DevSigningKey {
  const privateJwk: JWK = { ...jwk, alg: DEV_SIGNING_ALGORITHM, use: 'sig' };
  const publicJwk: JWK = { ...privateJwk };
  for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  return { kid: privateJwk.kid!, privateJwk, publicJwk };
}
