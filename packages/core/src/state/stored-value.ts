import { BotwireError } from '../errors/botwire-error';
import type { BotwireErrorCode } from '../errors/error-catalog';

/**
 * Turns a value into plain JSON for storage, keeping what JSON alone loses: bytes (artifacts),
 * dates, sets and Botwire errors. {@link fromStoredValue} turns it back.
 *
 * @example
 * await kv.set('runtime', key, toStoredValue({ file: new Uint8Array([1, 2]) }));
 * const value = fromStoredValue(await kv.get('runtime', key));
 */
export function toStoredValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Set) return { $set: [...value].map(toStoredValue) };
  if (value instanceof BotwireError)
    return {
      $error: {
        code: value.code,
        message: value.message,
        ...(value.hint ? { hint: value.hint } : {}),
        problems: value.problems,
        details: toStoredValue(value.details),
      },
    };
  if (value instanceof Error)
    return { $error: { code: 'BOTWIRE_INTERNAL', message: value.message } };
  if (Array.isArray(value)) return value.map(toStoredValue);
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && typeof item !== 'function') result[key] = toStoredValue(item);
    }
    return result;
  }
  return value;
}

/** The inverse of {@link toStoredValue}. */
export function fromStoredValue<T = unknown>(value: unknown): T {
  return revive(value) as T;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$bytes === 'string')
    return new Uint8Array(Buffer.from(record.$bytes, 'base64'));
  if (typeof record.$date === 'string') return new Date(record.$date);
  if (Array.isArray(record.$set)) return new Set(record.$set.map(revive));
  if (record.$error && typeof record.$error === 'object') {
    const stored = record.$error as {
      code: BotwireErrorCode;
      message: string;
      hint?: string;
      problems?: BotwireError['problems'];
      details?: unknown;
    };
    return new BotwireError(stored.code, {
      message: stored.message,
      ...(stored.hint ? { hint: stored.hint } : {}),
      ...(stored.problems ? { problems: stored.problems } : {}),
      ...(stored.details ? { details: revive(stored.details) as Record<string, unknown> } : {}),
    });
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) result[key] = revive(item);
  return result;
}
