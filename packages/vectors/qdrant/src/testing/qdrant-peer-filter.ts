/** A point id as Qdrant has it: an unsigned integer or a UUID (lower-case, with hyphens). */
export type PeerPointId = number | string;

/** A stored point of the peer. */
export interface PeerPoint {
  id: PeerPointId;
  vector: number[];
  payload: Record<string, unknown>;
}

/** A request Qdrant would refuse: its status and `status.error` text. */
export class PeerInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Qdrant's answer to a JSON body it cannot deserialize. */
export const formatError = (detail: string) =>
  new PeerInputError(400, `Format error in JSON body: ${detail}`);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Parses a point id as Qdrant does (unsigned integers, UUIDs with or without hyphens). */
export function parsePointId(value: unknown): PeerPointId {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && UUID.test(value)) {
    const hex = value.replaceAll('-', '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  throw formatError(
    `value ${JSON.stringify(value)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

/** A map key for a point id. */
export const idKey = (id: PeerPointId) => (typeof id === 'number' ? `n:${id}` : `u:${id}`);

/** Qdrant's id order: integers first (by value), then UUIDs (by their 128-bit value). */
export function compareIds(a: PeerPointId, b: PeerPointId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

type PathItem = { key: string } | { index: number } | { wildcard: true };

/**
 * Parses a payload key as Qdrant's JSON path: `a.b`, `a."key.with.dots"`, `a[0]`, `a[].b`.
 * Raw keys are letters, digits, `_` and `-`; quoted keys hold anything but `"` and `\`.
 */
export function parseJsonPath(path: string): PathItem[] {
  const items: PathItem[] = [];
  let at = 0;
  const readKey = () => {
    if (path[at] === '"') {
      const end = path.indexOf('"', at + 1);
      const key = end < 0 ? '' : path.slice(at + 1, end);
      if (end < 0 || key.includes('\\')) throw formatError(`Invalid json path: ${path}`);
      at = end + 1;
      return key;
    }
    const match = /^[\p{L}\p{N}_-]+/u.exec(path.slice(at));
    if (!match) throw formatError(`Invalid json path: ${path}`);
    at += match[0].length;
    return match[0];
  };
  items.push({ key: readKey() });
  while (at < path.length) {
    if (path[at] === '.') {
      at++;
      items.push({ key: readKey() });
    } else if (path.startsWith('[]', at)) {
      at += 2;
      items.push({ wildcard: true });
    } else {
      const match = /^\[(\d+)\]/.exec(path.slice(at));
      if (!match) throw formatError(`Invalid json path: ${path}`);
      at += match[0].length;
      items.push({ index: Number(match[1]) });
    }
  }
  return items;
}

/** The values a JSON path reaches in a payload; arrays at the end are flattened. */
export function valuesAt(payload: Record<string, unknown>, path: string): unknown[] {
  let current: unknown[] = [payload];
  for (const item of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if ('key' in item) {
        if (isObject(value) && Object.hasOwn(value, item.key)) next.push(value[item.key]);
      } else if ('index' in item) {
        if (Array.isArray(value) && item.index < value.length) next.push(value[item.index]);
      } else if (Array.isArray(value)) next.push(...value);
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

type Scalar = string | number | boolean;
const isMatchValue = (value: unknown): value is Scalar =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isSafeInteger(value));

/** A parsed filter: a function of a point. */
export type PointTest = (point: PeerPoint) => boolean;

function parseMatch(key: string, match: unknown): PointTest {
  if (!isObject(match)) throw formatError('data did not match any variant of untagged enum Match');
  const list = (raw: unknown): Scalar[] => {
    const ok =
      Array.isArray(raw) &&
      (raw.every((item) => typeof item === 'string') ||
        raw.every((item) => typeof item === 'number' && Number.isSafeInteger(item)));
    if (!ok) throw formatError(`data did not match any variant of untagged enum AnyVariants`);
    return raw as Scalar[];
  };
  if ('value' in match) {
    const expected = match.value;
    if (!isMatchValue(expected)) {
      throw formatError('data did not match any variant of untagged enum ValueVariants');
    }
    return (point) => valuesAt(point.payload, key).some((value) => value === expected);
  }
  if ('any' in match) {
    const allowed = list(match.any);
    return (point) =>
      valuesAt(point.payload, key).some((value) => allowed.includes(value as Scalar));
  }
  if ('except' in match) {
    const refused = list(match.except);
    return (point) =>
      valuesAt(point.payload, key).some(
        (value) => isMatchValue(value) && !refused.includes(value as Scalar),
      );
  }
  if (typeof match.text === 'string') {
    const text = match.text;
    return (point) =>
      valuesAt(point.payload, key).some(
        (value) => typeof value === 'string' && value.includes(text),
      );
  }
  throw formatError('data did not match any variant of untagged enum Match');
}

function parseRange(key: string, range: unknown): PointTest {
  if (!isObject(range))
    throw formatError('data did not match any variant of untagged enum RangeInterface');
  const bounds: [string, (a: number, b: number) => boolean][] = [
    ['gt', (a, b) => a > b],
    ['gte', (a, b) => a >= b],
    ['lt', (a, b) => a < b],
    ['lte', (a, b) => a <= b],
  ];
  const checks: ((value: number) => boolean)[] = [];
  for (const [name, compare] of bounds) {
    const bound = range[name];
    if (bound === undefined || bound === null) continue;
    if (typeof bound !== 'number') {
      throw formatError('data did not match any variant of untagged enum RangeInterface');
    }
    checks.push((value) => compare(value, bound));
  }
  return (point) =>
    valuesAt(point.payload, key).some(
      (value) => typeof value === 'number' && checks.every((check) => check(value)),
    );
}

function parseCondition(condition: unknown): PointTest {
  if (!isObject(condition)) {
    throw formatError('data did not match any variant of untagged enum Condition');
  }
  if (typeof condition.key === 'string') {
    const key = condition.key;
    parseJsonPath(key);
    const tests: PointTest[] = [];
    if (condition.match !== undefined && condition.match !== null) {
      tests.push(parseMatch(key, condition.match));
    }
    if (condition.range !== undefined && condition.range !== null) {
      tests.push(parseRange(key, condition.range));
    }
    if (tests.length === 0) {
      throw new PeerInputError(
        400,
        'Validation error in JSON body: [At least one field condition must be specified]',
      );
    }
    return (point) => tests.every((test) => test(point));
  }
  if ('has_id' in condition) {
    if (!Array.isArray(condition.has_id)) {
      throw formatError('invalid type: expected a sequence for has_id');
    }
    const keys = new Set(condition.has_id.map((id) => idKey(parsePointId(id))));
    return (point) => keys.has(idKey(point.id));
  }
  if (isObject(condition.is_empty) && typeof condition.is_empty.key === 'string') {
    const key = condition.is_empty.key;
    return (point) => valuesAt(point.payload, key).every((value) => value === null);
  }
  if (isObject(condition.is_null) && typeof condition.is_null.key === 'string') {
    const key = condition.is_null.key;
    return (point) => {
      const found = valuesAt(point.payload, key);
      return found.length > 0 && found.every((value) => value === null);
    };
  }
  if ('must' in condition || 'should' in condition || 'must_not' in condition) {
    return parseFilter(condition);
  }
  throw formatError('data did not match any variant of untagged enum Condition');
}

/**
 * Parses a Qdrant filter: `must` (all), `should` (at least one, when there are any) and
 * `must_not` (none), each a condition or a list of them; conditions are field conditions
 * (`match` value / any / except / text, `range`), `has_id`, `is_empty`, `is_null` and filters.
 */
export function parseFilter(filter: unknown): PointTest {
  if (filter === undefined || filter === null) return () => true;
  if (!isObject(filter)) throw formatError('invalid type: expected struct Filter');
  const clause = (name: string): PointTest[] => {
    const raw = filter[name];
    if (raw === undefined || raw === null) return [];
    return (Array.isArray(raw) ? raw : [raw]).map(parseCondition);
  };
  const must = clause('must');
  const should = clause('should');
  const mustNot = clause('must_not');
  return (point) =>
    must.every((test) => test(point)) &&
    (should.length === 0 || should.some((test) => test(point))) &&
    !mustNot.some((test) => test(point));
}
