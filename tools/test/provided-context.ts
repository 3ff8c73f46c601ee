import type { JWK } from 'jose';

/** What the e2e global set-up gives the test workers about the dev identity provider, to mint tokens. */
export interface ProvidedDevIdentity {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  issuer: string;
  audience: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every variable the API needs to use the run's local cloud (tables and bucket names included). */
    localCloudEnv: Record<string, string>;
    devIdentity: ProvidedDevIdentity;
  }
}
