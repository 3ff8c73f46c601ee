// oidc-provider's own in-memory storage, which its package ships but does not type.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { Adapter } from 'oidc-provider';

  export function createMemoryAdapter(clockTolerance?: number): (model: string) => Adapter;
}
