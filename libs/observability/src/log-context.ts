import { AsyncLocalStorage } from 'node:async_hooks';

/** Keys every log line written inside a scope carries: the Lambda invocation's, then an image's, and so on. */
export type LogKeys = Record<string, string | number | boolean | undefined>;

const scopes = new AsyncLocalStorage<LogKeys>();

/**
 * Runs `work` with `keys` added to every line logged inside it, through any await, on top of the enclosing scope's.
 * A scope, not a logger's mutable state: the records of one SQS batch run side by side, and each line must name its
 * own image (Powertools' appendKeys on a shared logger would let them overwrite each other).
 */
export function withLogKeys<T>(keys: LogKeys, work: () => T): T {
  return scopes.run({ ...scopes.getStore(), ...definedKeys(keys) }, work);
}

/** The keys of the current scope (empty outside any). */
export function currentLogKeys(): LogKeys {
  return scopes.getStore() ?? {};
}

function definedKeys(keys: LogKeys): LogKeys {
  return Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
}
