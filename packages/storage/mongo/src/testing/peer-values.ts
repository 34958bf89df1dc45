/**
 * How the MongoDB peer orders, compares and reaches into BSON values, as the server does:
 * values of different types order by their type's rank (null < numbers < strings < objects <
 * arrays < binary < ObjectId < booleans < dates < timestamps < regular expressions), strings
 * compare by their UTF-8 bytes (the simple collation), and dotted paths fan out over arrays.
 */
import { Binary, BSON, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

/** A stored document: what `BSON.deserialize` gives. */
export type Document = Record<string, unknown>;

/** A server error: the command's reply is `{ ok: 0, errmsg, code, codeName }`. */
export class PeerError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
  }
}

/** A deep copy of a document, through BSON, so stored and returned values never share objects. */
export function copyDocument<T extends Document>(document: T): T {
  return BSON.deserialize(BSON.serialize(document)) as T;
}

/** True for a plain embedded document (not an array, date, ObjectId or other BSON value). */
export function isPlainObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The rank of a value's type in the server's sort order. */
export function typeRank(value: unknown): number {
  if (value instanceof MinKey) return 0;
  if (value === undefined || value === null) return 1;
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof Long ||
    value instanceof Decimal128
  )
    return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (value instanceof Binary || value instanceof Uint8Array) return 6;
  if (value instanceof ObjectId) return 7;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  if (value instanceof Timestamp) return 10;
  if (value instanceof RegExp) return 11;
  if (value instanceof MaxKey) return 12;
  return 4;
}

const toNumber = (value: unknown): number =>
  value instanceof Long || value instanceof Decimal128 ? Number(value.toString()) : Number(value);

/** Compares two BSON values in the server's order: negative, zero or positive. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  switch (rankA) {
    case 2: {
      const x = toNumber(a);
      const y = toNumber(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return Buffer.compare(Buffer.from(a as string, 'utf8'), Buffer.from(b as string, 'utf8'));
    case 4: {
      const x = Object.entries(a as Document);
      const y = Object.entries(b as Document);
      for (let index = 0; index < Math.min(x.length, y.length); index++) {
        const [keyA, valueA] = x[index]!;
        const [keyB, valueB] = y[index]!;
        const byType = typeRank(valueA) - typeRank(valueB);
        if (byType !== 0) return byType;
        const byKey = Buffer.compare(Buffer.from(keyA), Buffer.from(keyB));
        if (byKey !== 0) return byKey;
        const byValue = compareValues(valueA, valueB);
        if (byValue !== 0) return byValue;
      }
      return x.length - y.length;
    }
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let index = 0; index < Math.min(x.length, y.length); index++) {
        const byValue = compareValues(x[index], y[index]);
        if (byValue !== 0) return byValue;
      }
      return x.length - y.length;
    }
    case 6: {
      const x = a instanceof Binary ? a.buffer : (a as Uint8Array);
      const y = b instanceof Binary ? b.buffer : (b as Uint8Array);
      return x.length - y.length || Buffer.compare(Buffer.from(x), Buffer.from(y));
    }
    case 7:
      return (a as ObjectId).toHexString().localeCompare((b as ObjectId).toHexString());
    case 8:
      return Number(a) - Number(b);
    case 9:
      return (a as Date).getTime() - (b as Date).getTime();
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11:
      return String(a).localeCompare(String(b));
    default:
      return 0;
  }
}

/** True when two values are equal as the server sees them (`1` equals `1.0`, field order counts). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return typeRank(a) === typeRank(b) && compareValues(a, b) === 0;
}

/**
 * The values a dotted path reaches in a document, fanning out over arrays as queries do:
 * `identities.platform` on `{ identities: [{ platform: 'a' }, { platform: 'b' }] }` gives
 * `['a', 'b']`. A path that reaches nothing gives `[undefined]`. Each array reached is given
 * whole as well as element by element when `expandArrays` is true.
 */
export function valuesAt(document: unknown, path: string, expandArrays = true): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown, parts: string[]): void => {
    if (parts.length === 0) {
      found.push(value);
      if (expandArrays && Array.isArray(value)) found.push(...value);
      return;
    }
    const [head, ...rest] = parts as [string, ...string[]];
    if (Array.isArray(value)) {
      if (/^\d+$/.test(head)) visit(value[Number(head)], rest);
      for (const element of value) if (isPlainObject(element)) visit(element, parts);
      return;
    }
    if (isPlainObject(value)) {
      visit(value[head], rest);
      return;
    }
    found.push(undefined);
  };
  visit(document, path.split('.'));
  const defined = found.filter((value) => value !== undefined);
  return defined.length > 0 ? found : [undefined];
}

/** True when a dotted path reaches at least one value (even null) in the document. */
export function pathExists(document: unknown, path: string): boolean {
  return valuesAt(document, path, false).some((value) => value !== undefined);
}

/** The value at a dotted path without fanning out (array indexes as numbers), or undefined. */
export function getPath(document: unknown, path: string): unknown {
  let value = document;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
  }
  return value;
}
