/**
 * A JSON pointer (RFC 6901) from its parts: `pointer('paths', '/pets/{petId}', 'get')` is
 * `/paths/~1pets~1{petId}/get`.
 */
export function pointer(...parts: ReadonlyArray<string | number>): string {
  return parts.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The parts of a pointer, unescaped; undefined when it is not a pointer. */
export function pointerParts(text: string): string[] | undefined {
  if (text === '') return [];
  if (!text.startsWith('/')) return undefined;
  return text
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value a local reference (`#/components/schemas/Pet`) points at in a document, or
 * undefined when it is not local or points at nothing. The fragment may be percent-encoded.
 */
export function resolveLocalRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  const parts = pointerParts(fragment);
  if (!parts) return undefined;
  let current: unknown = document;
  for (const part of parts) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(part)) return undefined;
      current = current[Number(part)];
    } else if (isRecord(current) && Object.hasOwn(current, part)) {
      current = current[part];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * Follows a chain of local `$ref`s from a value found at `at`: the value it ends on and that
 * value's pointer. Undefined when a reference is remote, points at nothing, or loops.
 */
export function dereference(
  document: unknown,
  value: unknown,
  at: string,
): { value: unknown; at: string } | undefined {
  let current = value;
  let where = at;
  for (let depth = 0; depth < 16; depth++) {
    if (!isRecord(current) || typeof current.$ref !== 'string')
      return { value: current, at: where };
    const ref = current.$ref;
    current = resolveLocalRef(document, ref);
    if (current === undefined) return undefined;
    where = refPointer(ref);
  }
  return undefined;
}

/** The JSON pointer of a local reference: `#/components/schemas/Pet` → `/components/schemas/Pet`. */
export function refPointer(ref: string): string {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return ref.slice(1);
  }
}
