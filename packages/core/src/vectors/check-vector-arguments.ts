/**
 * The argument checks of the vector index: every call is checked before anything is read or
 * written, and refused with BOTWIRE_INVALID_ARGUMENT, as storage drivers refuse theirs.
 *
 * @example
 * checkNamespace(namespace);
 * const matches = compileFilter(options.filter);
 */
import type { VectorFilter, VectorFilterValue, VectorRecord } from '../ports/vector-index';
import { encodeJson, invalidArgument } from '../storage/check-storage-arguments';

/** The longest namespace accepted. */
export const maxNamespaceLength = 200;
/** The most matches one query may ask for. */
export const maxLimit = 1000;

/** Letters, digits and `_ - . : / @ =`: safe as a key, a file name part or a collection name. */
const namespacePattern = /^[A-Za-z0-9_.:/@=-]+$/;

/** Throws unless `namespace` is 1 to 200 characters of `A-Z a-z 0-9 _ - . : / @ =`. */
export function checkNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || namespace === '')
    throw invalidArgument('A vector namespace must be a non-empty string.');
  if (namespace.length > maxNamespaceLength) {
    throw invalidArgument(
      `A vector namespace must be at most ${maxNamespaceLength} characters; got ${namespace.length}.`,
    );
  }
  if (!namespacePattern.test(namespace)) {
    throw invalidArgument(
      `The vector namespace ${JSON.stringify(namespace)} may hold only letters, digits and _ - . : / @ =.`,
    );
  }
}

/** Throws unless `ids` is an array of non-empty strings. */
export function checkIds(ids: unknown): asserts ids is string[] {
  if (!Array.isArray(ids)) throw invalidArgument('ids must be an array of strings.');
  for (const id of ids) checkId(id);
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '')
    throw invalidArgument(`A vector id must be a non-empty string; got ${JSON.stringify(id)}.`);
}

/**
 * The vector scaled to length 1, as Float32; a vector of zeros stays zeros (it scores 0 against
 * everything). Throws unless `vector` is a non-empty array of finite numbers.
 */
export function normalizedVector(vector: unknown, what: string): Float32Array {
  if (!Array.isArray(vector) || vector.length === 0)
    throw invalidArgument(`${what} must be a non-empty array of numbers.`);
  let sum = 0;
  for (const value of vector) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw invalidArgument(`${what} holds ${String(value)}; every item must be a finite number.`);
    sum += value * value;
  }
  const norm = Math.sqrt(sum);
  const normalized = new Float32Array(vector.length);
  if (norm === 0 || !Number.isFinite(norm)) return normalized;
  for (let at = 0; at < vector.length; at++) normalized[at] = (vector[at] as number) / norm;
  return normalized;
}

/** A record checked and copied: its vector normalized, its payload a detached JSON copy. */
export interface CheckedRecord {
  id: string;
  vector: Float32Array;
  payload: Record<string, unknown>;
}

/**
 * Checks records for an upsert and returns them checked, one per id (the last wins). Lengths
 * against the namespace are checked by the caller, which knows its length.
 */
export function checkRecords(records: unknown): CheckedRecord[] {
  if (!Array.isArray(records)) throw invalidArgument('records must be an array.');
  const byId = new Map<string, CheckedRecord>();
  for (const record of records as VectorRecord[]) {
    if (typeof record !== 'object' || record === null)
      throw invalidArgument('A vector record must be { id, vector, payload }.');
    checkId(record.id);
    const vector = normalizedVector(record.vector, `The vector of ${record.id}`);
    const payload = record.payload ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload))
      throw invalidArgument(`The payload of ${record.id} must be an object.`);
    const copy = JSON.parse(encodeJson(payload, `The payload of ${record.id}`)) as Record<
      string,
      unknown
    >;
    byId.delete(record.id);
    byId.set(record.id, { id: record.id, vector, payload: copy });
  }
  return [...byId.values()];
}

/** Throws unless `limit` is undefined or an integer from 1 to 1000; returns it, 10 by default. */
export function checkLimit(limit: unknown): number {
  if (limit === undefined) return 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw invalidArgument(`limit must be an integer from 1 to ${maxLimit}; got ${String(limit)}.`);
  return limit;
}

/** Throws unless `minScore` is undefined or a finite number; returns it, -Infinity by default. */
export function checkMinScore(minScore: unknown): number {
  if (minScore === undefined) return Number.NEGATIVE_INFINITY;
  if (typeof minScore !== 'number' || Number.isNaN(minScore))
    throw invalidArgument(`minScore must be a number; got ${String(minScore)}.`);
  return minScore;
}

const isFilterValue = (value: unknown): value is VectorFilterValue =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** Whether a payload matches; undefined stands for "every payload". */
export type PayloadPredicate = (payload: Record<string, unknown>) => boolean;

/**
 * The filter as a predicate over payloads, or undefined when there is no filter (or an empty
 * one). Throws unless every field's value is a string, a finite number, a boolean, or an array
 * of them.
 */
export function compileFilter(filter: VectorFilter | undefined): PayloadPredicate | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter))
    throw invalidArgument('A vector filter must be an object of payload fields.');
  const conditions: Array<[string, ReadonlySet<unknown> | VectorFilterValue]> = [];
  for (const [field, expected] of Object.entries(filter)) {
    if (Array.isArray(expected)) {
      if (!expected.every(isFilterValue))
        throw invalidArgument(`The filter on ${field} holds a value that is not a plain value.`);
      conditions.push([field, new Set<unknown>(expected)]);
    } else if (isFilterValue(expected)) {
      conditions.push([field, expected]);
    } else {
      throw invalidArgument(
        `The filter on ${field} must be a string, a number, a boolean or an array of them.`,
      );
    }
  }
  if (conditions.length === 0) return undefined;
  return (payload) => {
    for (const [field, expected] of conditions) {
      const value = payload[field];
      if (expected instanceof Set ? !expected.has(value) : value !== expected) return false;
    }
    return true;
  };
}
