/**
 * Lambda's event filtering (the subset of EventBridge pattern syntax the stack uses): a pattern is an object tree
 * whose leaves are arrays of alternatives — a literal, `{ "anything-but": [...] }` or `{ "exists": bool }`. A record
 * matches when every leaf matches its field; a list of patterns matches when any one does.
 */
export type FilterPattern = { [field: string]: FilterPattern | readonly unknown[] };

export function matchesAnyPattern(record: unknown, patterns: readonly FilterPattern[]): boolean {
  return patterns.some((pattern) => matchesPattern(record, pattern));
}

export function matchesPattern(value: unknown, pattern: FilterPattern): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(expected)) return expected.some((alternative) => matchesLeaf(actual, alternative));
    return typeof actual === 'object' && actual !== null && matchesPattern(actual, expected as FilterPattern);
  });
}

function matchesLeaf(actual: unknown, alternative: unknown): boolean {
  if (typeof alternative !== 'object' || alternative === null) return actual === alternative;
  if ('exists' in alternative) return (actual !== undefined) === (alternative as { exists: boolean }).exists;
  if ('anything-but' in alternative) {
    const excluded = (alternative as { 'anything-but': unknown })['anything-but'];
    return (
      (typeof actual === 'string' || typeof actual === 'number') &&
      !(Array.isArray(excluded) ? excluded : [excluded]).includes(actual)
    );
  }
  throw new Error(`Filter syntax not emulated here: ${JSON.stringify(alternative)}`);
}
