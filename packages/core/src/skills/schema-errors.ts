import type { ErrorObject } from 'ajv';

const compositeKeywords = new Set(['anyOf', 'oneOf']);
// Keywords that only say "a sub-schema failed"; the sub-schema's own errors say what failed.
const wrapperKeywords = new Set(['if', '$ref', '$dynamicRef', 'allOf']);

/** Escapes one JSON pointer segment (`a/b` → `a~1b`). */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointer an error is about: for `required` and unknown properties, the property itself. */
export function errorPointer(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const property =
    error.keyword === 'required' ||
    error.keyword === 'dependentRequired' ||
    error.keyword === 'dependencies'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : error.keyword === 'unevaluatedProperties'
          ? params.unevaluatedProperty
          : undefined;
  return typeof property === 'string'
    ? `${error.instancePath}/${escapePointerSegment(property)}`
    : error.instancePath;
}

/** `/tools/1/name` → `tools[1].name`; the empty pointer → `rootLabel`. */
export function pointerToLabel(pointer: string, rootLabel: string): string {
  if (pointer === '') return rootLabel;
  let label = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    label += /^\d+$/.test(segment) ? `[${segment}]` : label === '' ? segment : `.${segment}`;
  }
  return label;
}

/** A short rendering of a value for a message: `"yes"`, `42`, `an object`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

const keywordRank = (error: ErrorObject): number =>
  ['enum', 'const', 'pattern', 'format'].includes(error.keyword)
    ? 0
    : error.keyword === 'type'
      ? 2
      : 1;

/**
 * Leaves one error per mistake: an `anyOf`/`oneOf` failure keeps its most telling branch error
 * (the deepest one, then the most specific keyword), and wrapper keywords (`if`, `$ref`) are dropped.
 * When every branch failed on its type, the composite stays and lists the types it accepts.
 */
export function collapseSchemaErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const consumed = new Set<number>();
  const result: Array<{ index: number; error: ErrorObject }> = [];
  errors.forEach((error, index) => {
    if (wrapperKeywords.has(error.keyword)) {
      consumed.add(index);
      return;
    }
    if (!compositeKeywords.has(error.keyword)) return;
    consumed.add(index);
    // ajv reports a composite right after the errors of its branches, which all lie at or below it.
    const branch: Array<{ index: number; error: ErrorObject }> = [];
    for (let before = index - 1; before >= 0; before--) {
      const candidate = errors[before]!;
      const inside =
        candidate.instancePath === error.instancePath ||
        candidate.instancePath.startsWith(`${error.instancePath}/`);
      if (!inside) break;
      if (consumed.has(before)) continue;
      branch.push({ index: before, error: candidate });
    }
    for (const item of branch) consumed.add(item.index);
    const allTypeAtSamePlace = branch.every(
      (item) => item.error.keyword === 'type' && item.error.instancePath === error.instancePath,
    );
    if (branch.length === 0) {
      result.push({ index, error });
      return;
    }
    if (allTypeAtSamePlace) {
      const types = branch.map((item) => String((item.error.params as { type?: unknown }).type));
      result.push({
        index,
        error: { ...error, keyword: 'type', params: { type: types.join(' or ') } },
      });
      return;
    }
    const best = [...branch].sort(
      (a, b) =>
        b.error.instancePath.length - a.error.instancePath.length ||
        keywordRank(a.error) - keywordRank(b.error) ||
        a.index - b.index,
    )[0]!;
    result.push(best);
  });
  errors.forEach((error, index) => {
    if (!consumed.has(index)) result.push({ index, error });
  });
  return result.sort((a, b) => a.index - b.index).map((item) => item.error);
}

/** A sentence a person understands for one ajv error, naming the value by its path. */
export function describeSchemaError(error: ErrorObject, rootLabel: string): string {
  const params = error.params as Record<string, unknown>;
  const label = pointerToLabel(error.instancePath, rootLabel);
  const got = describeValue(error.data);
  switch (error.keyword) {
    case 'required':
      return `${pointerToLabel(errorPointer(error), rootLabel)} is missing${fieldHint(error)}`;
    case 'dependentRequired':
    case 'dependencies':
      return `${pointerToLabel(errorPointer(error), rootLabel)} is missing; it is required when "${String(params.property)}" is present`;
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = Object.keys(
        (error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {},
      );
      const close = closestNames(name, known);
      const suggestion = close.length
        ? ` (did you mean ${close.map((item) => `"${item}"`).join(' or ')}?)`
        : '';
      const allowed = known.length ? `; allowed fields: ${known.join(', ')}` : '';
      return `field "${name}" is not allowed in ${label}${suggestion}${allowed}`;
    }
    case 'type':
      return `${label} must be ${article(String(params.type))}, got ${got}`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[])
        .map((value) => JSON.stringify(value))
        .join(', ');
      return `${label} is ${got}; use one of ${allowed}`;
    }
    case 'const':
      return `${label} must be ${JSON.stringify(params.allowedValue)}, got ${got}`;
    case 'pattern':
      return `${label} ${got} must match ${String(params.pattern)}`;
    case 'format':
      return `${label} ${got} is not a valid ${String(params.format)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${label} must be ${String(params.comparison)} ${String(params.limit)}, got ${got}`;
    case 'minLength':
      return `${label} must have at least ${String(params.limit)} character(s), got ${got}`;
    case 'maxLength':
      return `${label} must have at most ${String(params.limit)} character(s), got ${got}`;
    case 'minItems':
      return `${label} must have at least ${String(params.limit)} item(s)`;
    case 'maxItems':
      return `${label} must have at most ${String(params.limit)} item(s)`;
    case 'minProperties':
      return `${label} must have at least ${String(params.limit)} field(s)`;
    case 'maxProperties':
      return `${label} must have at most ${String(params.limit)} field(s)`;
    case 'uniqueItems': {
      const item = Array.isArray(error.data) ? error.data[Number(params.i)] : undefined;
      return `${label} lists ${describeValue(item)} twice (items ${String(params.j)} and ${String(params.i)}); remove one`;
    }
    case 'multipleOf':
      return `${label} must be a multiple of ${String(params.multipleOf)}, got ${got}`;
    case 'false schema':
      return `${label} is not allowed here`;
    case 'oneOf':
      return `${label} matches more than one of the allowed forms`;
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}

function fieldHint(error: ErrorObject): string {
  const property = String((error.params as { missingProperty?: unknown }).missingProperty);
  const properties = error.parentSchema?.properties as
    | Record<string, { description?: unknown }>
    | undefined;
  const description = properties?.[property]?.description;
  return typeof description === 'string' ? `: ${lowerFirst(description)}` : '';
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const article = (type: string) =>
  type
    .split(',')
    .map((item) => {
      const name = item.trim();
      if (name === 'null') return 'null';
      return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
    })
    .join(' or ');

/** Up to `max` names from `candidates` that look like `name` (typos, case, `-` for `_`), closest first. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const contains =
      Math.min(wanted.length, other.length) >= 3 &&
      (other.includes(wanted) || wanted.includes(other));
    const distance = contains ? 1 : editDistance(wanted, other);
    if (distance <= Math.max(2, Math.floor(Math.max(wanted.length, other.length) / 3))) {
      scored.push({ candidate, distance });
    }
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map((item) => item.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
