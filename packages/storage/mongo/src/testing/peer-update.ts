/**
 * Update documents of the MongoDB peer: the operators `$set`, `$unset`, `$inc`, `$min`, `$max`,
 * `$setOnInsert`, `$push` (with `$each`), `$addToSet` (with `$each`), `$pull` and
 * `$currentDate`, or a replacement document, with the server's errors for conflicting paths,
 * `$inc` of a non-number and a changed `_id`.
 */
import { matches } from './peer-filter';
import {
  compareValues,
  copyDocument,
  type Document,
  getPath,
  isPlainObject,
  PeerError,
  valuesEqual,
} from './peer-values';

const operators = new Set([
  '$set',
  '$unset',
  '$inc',
  '$min',
  '$max',
  '$setOnInsert',
  '$push',
  '$addToSet',
  '$pull',
  '$currentDate',
]);

const describeValue = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);

/** The parent of a dotted path's last part, created on the way when `create` is true. */
function parentOf(
  document: Document,
  path: string,
  create: boolean,
): { parent: Document | unknown[]; field: string } | undefined {
  const parts = path.split('.');
  const field = parts.pop()!;
  let current: Document | unknown[] = document;
  for (const part of parts) {
    const next: unknown = Array.isArray(current) ? current[Number(part)] : current[part];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      const made: Document = {};
      if (Array.isArray(current)) current[Number(part)] = made;
      else current[part] = made;
      current = made;
    } else if (isPlainObject(next) || Array.isArray(next)) {
      current = next;
    } else {
      if (!create) return undefined;
      throw new PeerError(
        28,
        'PathNotViable',
        `Cannot create field '${field}' in element {${part}: ${JSON.stringify(next)}}`,
      );
    }
  }
  return { parent: current, field };
}

function setPath(document: Document, path: string, value: unknown): void {
  const { parent, field } = parentOf(document, path, true)!;
  if (Array.isArray(parent)) parent[Number(field)] = value;
  else parent[field] = value;
}

function unsetPath(document: Document, path: string): void {
  const found = parentOf(document, path, false);
  if (!found) return;
  if (Array.isArray(found.parent)) found.parent[Number(found.field)] = null;
  else delete found.parent[found.field];
}

function checkConflicts(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (current === previous || current.startsWith(`${previous}.`)) {
      throw new PeerError(
        40,
        'ConflictingUpdateOperators',
        `Updating the path '${current}' would create a conflict at '${previous}'`,
      );
    }
  }
}

function numeric(value: unknown): value is number {
  return typeof value === 'number';
}

function eachOf(operand: unknown): unknown[] {
  return isPlainObject(operand) && '$each' in operand && Array.isArray(operand.$each)
    ? operand.$each
    : [operand];
}

/** True when the update is a list of pipeline stages or a document of operators, not a replacement. */
export function isOperatorUpdate(update: Document): boolean {
  return Object.keys(update).some((key) => key.startsWith('$'));
}

/**
 * The document after an update (a new object; `document` is left alone). `isInsert` applies
 * `$setOnInsert`, as an upsert's insert does.
 *
 * @example
 * applyUpdate({ _id: 1, n: 1 }, { $inc: { n: 2 } }, false); // { _id: 1, n: 3 }
 */
export function applyUpdate(document: Document, update: unknown, isInsert: boolean): Document {
  if (Array.isArray(update)) {
    throw new PeerError(2, 'BadValue', 'The MongoDB peer does not implement pipeline updates.');
  }
  if (!isPlainObject(update)) throw new PeerError(9, 'FailedToParse', 'Update must be an object');
  const result = copyDocument(document);
  if (!isOperatorUpdate(update)) {
    if ('_id' in update && '_id' in document && !valuesEqual(update._id, document._id)) {
      throw new PeerError(
        66,
        'ImmutableField',
        "After applying the update, the (immutable) field '_id' was found to have been altered",
      );
    }
    return { ...('_id' in document ? { _id: result._id } : {}), ...copyDocument(update) };
  }
  for (const key of Object.keys(update)) {
    if (!operators.has(key)) {
      throw new PeerError(
        9,
        'FailedToParse',
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  const paths: string[] = [];
  for (const fields of Object.values(update)) {
    for (const path of isPlainObject(fields) ? Object.keys(fields) : []) {
      if (path.split('.').some((part) => part.startsWith('$'))) {
        throw new PeerError(
          2,
          'BadValue',
          `The MongoDB peer does not implement positional operators ($, $[], $[<id>]) in update paths: '${path}'`,
        );
      }
    }
  }
  for (const [operator, fields] of Object.entries(update)) {
    if (!isPlainObject(fields))
      throw new PeerError(
        9,
        'FailedToParse',
        `Modifiers operate on fields but we found a ${describeValue(fields)} instead`,
      );
    if (operator === '$setOnInsert' && !isInsert) continue;
    paths.push(...Object.keys(fields));
  }
  checkConflicts(paths);
  const before = document._id;
  for (const [operator, fields] of Object.entries(update as Record<string, Document>)) {
    for (const [path, operand] of Object.entries(fields)) {
      const current = getPath(result, path);
      switch (operator) {
        case '$setOnInsert':
          if (isInsert) setPath(result, path, operand);
          break;
        case '$set':
          setPath(result, path, operand);
          break;
        case '$unset':
          unsetPath(result, path);
          break;
        case '$inc':
          if (!numeric(operand))
            throw new PeerError(
              14,
              'TypeMismatch',
              `Cannot increment with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`,
            );
          if (current === undefined) setPath(result, path, operand);
          else if (!numeric(current)) {
            throw new PeerError(
              14,
              'TypeMismatch',
              `Cannot apply $inc to a value of non-numeric type. {_id: ${JSON.stringify(document._id)}} has the field '${path}' of non-numeric type ${describeValue(current)}`,
            );
          } else setPath(result, path, current + operand);
          break;
        case '$min':
        case '$max': {
          const order = current === undefined ? 0 : compareValues(operand, current);
          if (current === undefined || (operator === '$min' ? order < 0 : order > 0))
            setPath(result, path, operand);
          break;
        }
        case '$currentDate':
          setPath(result, path, new Date());
          break;
        case '$push':
        case '$addToSet': {
          if (current !== undefined && !Array.isArray(current)) {
            throw new PeerError(
              2,
              'BadValue',
              `The field '${path}' must be an array but is of type ${describeValue(current)} in document {_id: ${JSON.stringify(document._id)}}`,
            );
          }
          const list = [...((current as unknown[] | undefined) ?? [])];
          for (const item of eachOf(operand)) {
            if (operator === '$push' || !list.some((existing) => valuesEqual(existing, item)))
              list.push(item);
          }
          setPath(result, path, list);
          break;
        }
        case '$pull':
          if (Array.isArray(current)) {
            setPath(
              result,
              path,
              current.filter((item) =>
                isPlainObject(operand) && isPlainObject(item)
                  ? !matches(item, operand)
                  : !valuesEqual(item, operand),
              ),
            );
          }
          break;
      }
    }
  }
  if (before !== undefined && !valuesEqual(result._id, before)) {
    throw new PeerError(
      66,
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return result;
}
