import { DevIdentityProvider, type TokenOverrides } from '@dev/local-cloud';
import { inject } from 'vitest';
import type {} from './provided-context.js';

let provider: DevIdentityProvider | undefined;

/** A token from the run's dev identity provider for user `sub`; overrides make the bad ones the API must refuse. */
export function mintTestToken(sub: string, overrides?: TokenOverrides): Promise<string> {
  if (!provider) {
    const { kid, privateJwk, publicJwk, issuer, audience } = inject('devIdentity');
    provider = new DevIdentityProvider({ kid, privateJwk, publicJwk }, issuer, audience);
  }
  return provider.mintToken(sub, overrides);
}
