/**
 * DynamoDB's item size rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute name bytes + value bytes; strings UTF-8, numbers ≈ 1 byte per 2 significant digits + 1, booleans and
 * null 1 byte, lists and maps 3 bytes + 1 per element. Works on both the wire form ({ S: 'x' }) and the document
 * client's plain values.
 */
export type Item = Record<string, unknown>;

const NATIVE_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** True for an item in DynamoDB's wire form: every attribute is a one-key type descriptor. */
export function isNativeItem(item: Item): boolean {
  return Object.values(item).every(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      !(value instanceof Set) &&
      Object.keys(value).length === 1 &&
      NATIVE_TYPES.has(Object.keys(value)[0]!),
  );
}

export function itemSize(item: Item): number {
  const native = isNativeItem(item);
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size +=
      Buffer.byteLength(name) + (native ? nativeValueSize(value as Record<string, unknown>) : documentValueSize(value));
  }
  return size;
}

/** The item's attributes as plain values (strings kept as strings): enough to read keys from either form. */
export function plainAttribute(item: Item, name: string): string | undefined {
  const value = item[name];
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && isNativeItem({ [name]: value })) {
    const [[type, inner]] = Object.entries(value as Record<string, unknown>) as [[string, unknown]];
    return type === 'S' || type === 'N' ? String(inner) : JSON.stringify(inner);
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function nativeValueSize(value: Record<string, unknown>): number {
  const [[type, inner]] = Object.entries(value) as [[string, unknown]];
  switch (type) {
    case 'S':
      return Buffer.byteLength(inner as string);
    case 'N':
      return numberSize(inner as string);
    case 'B':
      return (inner as Uint8Array).length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (inner as string[]).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, text) => sum + numberSize(text), 0);
    case 'BS':
      return (inner as Uint8Array[]).reduce((sum, bytes) => sum + bytes.length, 0);
    case 'L':
      return 3 + (inner as Record<string, unknown>[]).reduce((sum, element) => sum + 1 + nativeValueSize(element), 0);
    case 'M':
      return (
        3 +
        Object.entries(inner as Record<string, Record<string, unknown>>).reduce(
          (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + nativeValueSize(element),
          0,
        )
      );
    default:
      throw new TypeError(`Unknown DynamoDB type ${type}`);
  }
}

function documentValueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + documentValueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + documentValueSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value).reduce(
        (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + documentValueSize(element),
        0,
      )
    );
  }
  return 0;
}
