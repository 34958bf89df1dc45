import { createHash } from 'node:crypto';
import { BotwireError, type VectorFilter, type VectorFilterValue } from '@botwire/core';

/** The payload fields the driver stores in every point; the user's payload sits under `payload`. */
export const fields = { namespace: 'namespace', id: 'record_id', payload: 'payload' } as const;

/** A Qdrant filter condition, as much of it as the driver writes. */
export type QdrantCondition =
  | { key: string; match: { value: VectorFilterValue } | { any: string[] | number[] } }
  | { key: string; range: { gte: number; lte: number } }
  | { should: QdrantCondition[] };

/** The filter of every request: the namespace, and the caller's filter on the user payload. */
export interface QdrantFilter {
  must: QdrantCondition[];
}

const invalid = (message: string) => new BotwireError('BOTWIRE_INVALID_ARGUMENT', { message });

/**
 * The Qdrant point id of a record: a UUID made from the SHA-256 of the namespace and the id
 * (version 8, "custom", RFC 9562), so the same record always lands on the same point and two
 * namespaces never share one.
 */
export function pointId(namespace: string, id: string): string {
  const hex = createHash('sha256').update(namespace).update('\u0000').update(id).digest('hex');
  const version = `8${hex.slice(13, 16)}`;
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${hex.slice(20, 32)}`;
}

/** A payload field name as a Qdrant JSON path under `payload` (quoted unless it is a plain word). */
function payloadKey(field: string): string {
  if (/^[\p{L}_-][\p{L}\p{N}_-]*$/u.test(field)) return `${fields.payload}.${field}`;
  if (field === '' || field.includes('"') || field.includes('\\')) {
    throw invalid(
      `A vector filter field may not be empty or hold " or \\ (got ${JSON.stringify(field)}).`,
    );
  }
  return `${fields.payload}."${field}"`;
}

/** One value: Qdrant matches strings, booleans and integers; other numbers become a range. */
function valueCondition(key: string, value: unknown, field: string): QdrantCondition {
  if (typeof value === 'string' || typeof value === 'boolean') return { key, match: { value } };
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { key, match: { value } };
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { key, range: { gte: value, lte: value } };
  }
  throw invalid(
    `The vector filter field "${field}" holds ${JSON.stringify(value) ?? String(value)}; use a string, a finite number, a boolean, or a list of them.`,
  );
}

/**
 * The Qdrant filter for a namespace and a {@link VectorFilter}: every field must match; a list
 * matches any of its items (`match.any` when all are strings or all integers, otherwise a
 * `should` of single matches; an empty list matches nothing).
 */
export function qdrantFilter(namespace: string, filter: VectorFilter | undefined): QdrantFilter {
  const must: QdrantCondition[] = [{ key: fields.namespace, match: { value: namespace } }];
  if (filter === undefined) return { must };
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw invalid('A vector filter must be an object of field → value (or list of values).');
  }
  for (const [field, value] of Object.entries(filter)) {
    const key = payloadKey(field);
    if (!Array.isArray(value)) {
      must.push(valueCondition(key, value, field));
      continue;
    }
    const items = value as unknown[];
    if (items.every((item) => typeof item === 'string')) {
      must.push({ key, match: { any: items as string[] } });
    } else if (items.every((item) => typeof item === 'number' && Number.isSafeInteger(item))) {
      must.push({ key, match: { any: items as number[] } });
    } else {
      must.push({ should: items.map((item) => valueCondition(key, item, field)) });
    }
  }
  return { must };
}

/** Checks a namespace: a non-empty string. */
export function checkNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || namespace === '') {
    throw invalid(
      `A vector namespace must be a non-empty string (got ${JSON.stringify(namespace)}).`,
    );
  }
}

/** Checks a vector: a non-empty array of finite numbers. */
export function checkVector(vector: unknown, what: string): asserts vector is number[] {
  if (!Array.isArray(vector) || vector.length === 0) {
    throw invalid(`${what} must be a non-empty array of numbers.`);
  }
  if (!vector.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw invalid(`${what} holds a value that is not a finite number (NaN or Infinity).`);
  }
}

/** Checks ids: an array of non-empty strings. */
export function checkIds(ids: unknown): asserts ids is string[] {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id !== '')) {
    throw invalid('Vector record ids must be an array of non-empty strings.');
  }
}
