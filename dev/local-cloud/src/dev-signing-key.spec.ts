import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from './dev-signing-key.js';

describe('loadOrCreateSigningKey', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dev-signing-key-spec-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('makes an RS256 key pair whose kid is the thumbprint and whose public JWK holds no private member', async () => {
    const key = await loadOrCreateSigningKey();

    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.privateJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid, d: expect.any(String) });
    expect(Object.keys(key.publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key.publicJwk.n).toBe(key.privateJwk.n);
  });

  it('makes a new key on each start when it has no directory', async () => {
    const [first, second] = await Promise.all([loadOrCreateSigningKey(), loadOrCreateSigningKey()]);

    expect(first.kid).not.toBe(second.kid);
  });

  it('keeps the key in the directory, readable by its owner only, and loads the same one next time', async () => {
    const keyDirectory = join(directory, 'dev-idp');
    const created = await loadOrCreateSigningKey(keyDirectory);

    const loaded = await loadOrCreateSigningKey(keyDirectory);

    expect(loaded).toEqual(created);
    expect((await stat(join(keyDirectory, 'signing-key.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(keyDirectory, 'signing-key.json'), 'utf8'))).toMatchObject({
      kid: created.kid,
    });
  });

  it('ends up with one key when two starts race to make it', async () => {
    const [first, second] = await Promise.all([loadOrCreateSigningKey(directory), loadOrCreateSigningKey(directory)]);

    expect(first.kid).toBe(second.kid);
  });

  it('refuses a key file that is not an RSA private JWK', async () => {
    await writeFile(join(directory, 'signing-key.json'), JSON.stringify({ kty: 'EC', kid: 'x' }));

    await expect(loadOrCreateSigningKey(directory)).rejects.toThrow(/not an RSA private JWK with a kid; delete it/);
  });
});
