/**
 * Query filters of the MongoDB peer, with the server's semantics: equality on a field matches an
 * array that holds the value, `null` matches a missing field, comparisons (`$gt`, `$lte`, ...)
 * only match values of the operand's type (type bracketing), `$ne`/`$nin` are the negations.
 */
import { BSONRegExp } from 'bson';
import {
  compareValues,
  type Document,
  isPlainObject,
  PeerError,
  pathExists,
  typeRank,
  valuesAt,
  valuesEqual,
} from './peer-values';

const badValue = (message: string) => new PeerError(2, 'BadValue', message);

/** True when the filter's keys are all operators (`{ $gt: 1 }`) rather than an embedded document. */
function isOperatorObject(value: unknown): value is Document {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function toRegExp(pattern: unknown, options: unknown): RegExp {
  if (pattern instanceof RegExp) return pattern;
  if (pattern instanceof BSONRegExp)
    return new RegExp(pattern.pattern, pattern.options.replace(/[^imsu]/g, ''));
  if (typeof pattern !== 'string') throw badValue('$regex has to be a string');
  const flags = typeof options === 'string' ? options.replace(/[^imsu]/g, '') : '';
  return new RegExp(pattern, flags);
}

/** True when one candidate value equals the operand (a regular expression matches strings). */
function equalsOperand(candidate: unknown, operand: unknown): boolean {
  if (operand instanceof RegExp || operand instanceof BSONRegExp)
    return typeof candidate === 'string' && toRegExp(operand, undefined).test(candidate);
  if (operand === null) return candidate === null || candidate === undefined;
  return valuesEqual(candidate, operand);
}

function compareOperand(candidate: unknown, operand: unknown, test: (order: number) => boolean) {
  if (operand === null) return (candidate === null || candidate === undefined) && test(0);
  if (typeRank(candidate) !== typeRank(operand)) return false;
  return test(compareValues(candidate, operand));
}

/** True when the values at `path` satisfy one operator. */
function matchOperator(
  document: Document,
  path: string,
  operator: string,
  operand: unknown,
  siblings: Document,
): boolean {
  const candidates = valuesAt(document, path);
  const some = (test: (candidate: unknown) => boolean) => candidates.some(test);
  switch (operator) {
    case '$eq':
      return some((candidate) => equalsOperand(candidate, operand));
    case '$ne':
      return !some((candidate) => equalsOperand(candidate, operand));
    case '$gt':
      return some((candidate) => compareOperand(candidate, operand, (order) => order > 0));
    case '$gte':
      return some((candidate) => compareOperand(candidate, operand, (order) => order >= 0));
    case '$lt':
      return some((candidate) => compareOperand(candidate, operand, (order) => order < 0));
    case '$lte':
      return some((candidate) => compareOperand(candidate, operand, (order) => order <= 0));
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) throw badValue(`${operator} needs an array`);
      const found = some((candidate) => operand.some((item) => equalsOperand(candidate, item)));
      return operator === '$in' ? found : !found;
    }
    case '$exists':
      return pathExists(document, path) === Boolean(operand);
    case '$regex': {
      const regex = toRegExp(operand, siblings.$options);
      return some((candidate) => typeof candidate === 'string' && regex.test(candidate));
    }
    case '$options':
      if (!('$regex' in siblings)) throw badValue('$options needs a $regex');
      return true;
    case '$not':
      if (isOperatorObject(operand)) return !matchField(document, path, operand);
      if (operand instanceof RegExp || operand instanceof BSONRegExp)
        return !matchOperator(document, path, '$regex', operand, {});
      throw badValue('$not needs a regex or a document');
    case '$size':
      return valuesAt(document, path, false).some(
        (candidate) => Array.isArray(candidate) && candidate.length === operand,
      );
    case '$elemMatch': {
      if (!isPlainObject(operand)) throw badValue('$elemMatch needs an Object');
      return valuesAt(document, path, false).some(
        (candidate) =>
          Array.isArray(candidate) &&
          candidate.some((element) =>
            isOperatorObject(operand)
              ? matchField({ element }, 'element', operand)
              : isPlainObject(element) && matches(element, operand),
          ),
      );
    }
    default:
      throw badValue(`unknown operator: ${operator}`);
  }
}

/** True when the values at `path` satisfy a condition: an operator object or a value to equal. */
function matchField(document: Document, path: string, condition: unknown): boolean {
  if (isOperatorObject(condition)) {
    return Object.entries(condition).every(([operator, operand]) =>
      matchOperator(document, path, operator, operand, condition),
    );
  }
  return matchOperator(document, path, '$eq', condition, {});
}

function clauses(operator: string, value: unknown): Document[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject))
    throw badValue(`${operator} argument must be a non-empty array of objects`);
  return value;
}

/**
 * True when the document matches the filter.
 *
 * @example
 * matches({ a: [1, 5] }, { a: { $gt: 4 } }); // true
 */
export function matches(document: Document, filter: Document): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    switch (key) {
      case '$and':
        return clauses(key, condition).every((clause) => matches(document, clause));
      case '$or':
        return clauses(key, condition).some((clause) => matches(document, clause));
      case '$nor':
        return !clauses(key, condition).some((clause) => matches(document, clause));
      case '$comment':
        return true;
      default:
        if (key.startsWith('$')) throw badValue(`unknown top level operator: ${key}`);
        return matchField(document, key, condition);
    }
  });
}

/**
 * The fields an upsert starts from: the filter's equality conditions (`{ a: 1 }`, `{ a: { $eq: 1 } }`,
 * also inside `$and`), as `[path, value]` pairs.
 */
export function equalityFields(filter: Document): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      for (const clause of clauses(key, condition)) fields.push(...equalityFields(clause));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isOperatorObject(condition)) {
      if ('$eq' in condition) fields.push([key, condition.$eq]);
    } else if (!(condition instanceof RegExp || condition instanceof BSONRegExp)) {
      fields.push([key, condition]);
    }
  }
  return fields;
}
