/**
 * The data commands of the MongoDB peer: `insert`, `find`, `getMore`, `killCursors`, `update`,
 * `delete`, `findAndModify`, `createIndexes`, `listIndexes`, `listCollections`, `create`,
 * `drop` and `dropDatabase`, with the replies (cursors, write errors, `lastErrorObject`) the
 * server gives.
 */
import { BSON, Long } from 'bson';
import { equalityFields } from './peer-filter';
import {
  findDocuments,
  type IndexSpec,
  type PeerCollection,
  type PeerStore,
  project,
} from './peer-store';
import { applyUpdate } from './peer-update';
import { copyDocument, type Document, isPlainObject, PeerError } from './peer-values';

/** The default size of a cursor's first batch, as the server's. */
const defaultFirstBatch = 101;

interface OpenCursor {
  namespace: string;
  remaining: Document[];
}

/** The state commands share: the data and the open cursors. */
export interface CommandContext {
  store: PeerStore;
  cursors: Map<number, OpenCursor>;
  nextCursorId: () => number;
}

const asDocument = (value: unknown, what: string): Document => {
  if (value === undefined) return {};
  if (!isPlainObject(value))
    throw new PeerError(
      14,
      'TypeMismatch',
      `BSON field '${what}' is the wrong type, expected type 'object'`,
    );
  return value;
};

const collectionName = (body: Document, command: string): string => {
  const name = body[command];
  if (typeof name !== 'string' || name === '')
    throw new PeerError(73, 'InvalidNamespace', `Invalid namespace specified for ${command}`);
  return name;
};

const asCount = (value: unknown, what: string): number => {
  if (value === undefined || value === null) return 0;
  const count = Number(value);
  if (!Number.isInteger(count))
    throw new PeerError(14, 'TypeMismatch', `${what} must be a whole number`);
  return count;
};

/** Splits documents into a first batch and the rest, opening a cursor when some are left. */
function cursorReply(
  context: CommandContext,
  namespace: string,
  documents: Document[],
  batchSize: number,
  singleBatch: boolean,
): Document {
  const size = batchSize > 0 ? batchSize : defaultFirstBatch;
  const first = documents.slice(0, size);
  const rest = documents.slice(size);
  let id = 0;
  if (rest.length > 0 && !singleBatch) {
    id = context.nextCursorId();
    context.cursors.set(id, { namespace, remaining: rest });
  }
  return { cursor: { firstBatch: first, id: Long.fromNumber(id), ns: namespace }, ok: 1 };
}

function find(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, 'find');
  const collection = context.store.collection(database, name);
  const skip = asCount(body.skip, 'skip');
  const limit = asCount(body.limit, 'limit');
  if (skip < 0) throw new PeerError(51024, 'Location51024', "BSON field 'skip' value must be >= 0");
  const filter = asDocument(body.filter, 'filter');
  const sorted = findDocuments(
    collection?.candidates(filter),
    filter,
    asDocument(body.sort, 'sort'),
  );
  let selected = sorted.slice(skip);
  if (limit !== 0) selected = selected.slice(0, Math.abs(limit));
  const projection =
    body.projection === undefined ? undefined : asDocument(body.projection, 'projection');
  const documents = selected.map((document) => project(document, projection));
  const batchSize = asCount(body.batchSize, 'batchSize');
  return cursorReply(
    context,
    `${database}.${name}`,
    documents,
    batchSize,
    Boolean(body.singleBatch) || limit < 0,
  );
}

function getMore(context: CommandContext, database: string, body: Document): Document {
  const id = Number(body.getMore);
  const cursor = context.cursors.get(id);
  const namespace = `${database}.${String(body.collection)}`;
  if (!cursor) throw new PeerError(43, 'CursorNotFound', `cursor id ${id} not found`);
  if (cursor.namespace !== namespace) {
    throw new PeerError(
      13,
      'Unauthorized',
      `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
    );
  }
  const batchSize = asCount(body.batchSize, 'batchSize');
  const next = batchSize > 0 ? cursor.remaining.splice(0, batchSize) : cursor.remaining.splice(0);
  const done = cursor.remaining.length === 0;
  if (done) context.cursors.delete(id);
  return {
    cursor: { nextBatch: next, id: Long.fromNumber(done ? 0 : id), ns: cursor.namespace },
    ok: 1,
  };
}

function killCursors(context: CommandContext, body: Document): Document {
  const ids = Array.isArray(body.cursors) ? body.cursors.map(Number) : [];
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const id of ids) {
    if (context.cursors.delete(id)) killed.push(Long.fromNumber(id));
    else notFound.push(Long.fromNumber(id));
  }
  return {
    cursorsKilled: killed,
    cursorsNotFound: notFound,
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
}

/** Runs each write of a batch; ordered batches stop at the first error, as the server's do. */
function eachWrite<T>(
  items: unknown,
  ordered: boolean,
  run: (item: T, index: number) => void,
): Document[] {
  const errors: Document[] = [];
  const list = Array.isArray(items) ? (items as T[]) : [];
  for (let index = 0; index < list.length; index++) {
    try {
      run(list[index]!, index);
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      errors.push({ index, code: error.code, errmsg: error.message, ...error.extra });
      if (ordered) break;
    }
  }
  return errors;
}

const withErrors = (reply: Document, errors: Document[]) =>
  errors.length > 0 ? { ...reply, writeErrors: errors } : reply;

function insert(context: CommandContext, database: string, body: Document): Document {
  const collection = context.store.collection(database, collectionName(body, 'insert'), true);
  let n = 0;
  const errors = eachWrite<Document>(body.documents, body.ordered !== false, (document) => {
    collection.insert(asDocument(document, 'documents'));
    n++;
  });
  return withErrors({ n, ok: 1 }, errors);
}

/** The document an upsert inserts: the filter's equality fields, then the update. */
function upsertDocument(filter: Document, update: unknown): Document {
  const seed: Document = {};
  for (const [path, value] of equalityFields(filter)) {
    const parts = path.split('.');
    let target = seed;
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(target[part])) target[part] = {};
      target = target[part] as Document;
    }
    target[parts.at(-1)!] = value;
  }
  return applyUpdate(seed, update, true);
}

/** Updates one document in place; true when it changed (its BSON differs). */
function updateOne(collection: PeerCollection, current: Document, update: unknown): boolean {
  const next = applyUpdate(current, update, false);
  if (Buffer.compare(BSON.serialize(next), BSON.serialize(current)) === 0) return false;
  collection.replace(current, next);
  return true;
}

function update(context: CommandContext, database: string, body: Document): Document {
  const collection = context.store.collection(database, collectionName(body, 'update'), true);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const errors = eachWrite<Document>(body.updates, body.ordered !== false, (statement, index) => {
    const filter = asDocument(statement.q, 'q');
    const matched = findDocuments(
      collection.candidates(filter),
      filter,
      asDocument(statement.sort, 'sort'),
    );
    const targets = statement.multi ? matched : matched.slice(0, 1);
    if (targets.length === 0 && statement.upsert) {
      const stored = collection.insert(upsertDocument(filter, statement.u));
      upserted.push({ index, _id: stored._id });
      n++;
      return;
    }
    for (const target of targets) {
      n++;
      if (updateOne(collection, target, statement.u)) nModified++;
    }
  });
  return withErrors({ n, nModified, ...(upserted.length ? { upserted } : {}), ok: 1 }, errors);
}

function remove(context: CommandContext, database: string, body: Document): Document {
  const collection = context.store.collection(database, collectionName(body, 'delete'));
  let n = 0;
  const errors = eachWrite<Document>(body.deletes, body.ordered !== false, (statement) => {
    const filter = asDocument(statement.q, 'q');
    const matched = findDocuments(collection?.candidates(filter), filter);
    const targets = Number(statement.limit) === 1 ? matched.slice(0, 1) : matched;
    for (const target of targets) collection?.remove(target);
    n += targets.length;
  });
  return withErrors({ n, ok: 1 }, errors);
}

function findAndModify(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, Object.keys(body)[0]!);
  const collection = context.store.collection(database, name, true);
  const filter = asDocument(body.query, 'query');
  const projection = body.fields === undefined ? undefined : asDocument(body.fields, 'fields');
  const [current] = findDocuments(
    collection.candidates(filter),
    filter,
    asDocument(body.sort, 'sort'),
  );
  const shown = (document: Document | undefined) =>
    document === undefined ? null : project(document, projection);
  if (body.remove) {
    if (body.update !== undefined || body.upsert)
      throw new PeerError(9, 'FailedToParse', 'Cannot specify both an update and remove=true');
    if (current) collection.remove(current);
    return { lastErrorObject: { n: current ? 1 : 0 }, value: shown(current), ok: 1 };
  }
  if (body.update === undefined)
    throw new PeerError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  if (!current) {
    if (!body.upsert)
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const stored = collection.insert(upsertDocument(filter, body.update));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: stored._id },
      value: body.new ? shown(stored) : null,
      ok: 1,
    };
  }
  const before = copyDocument(current);
  const next = applyUpdate(current, body.update, false);
  collection.replace(current, next);
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: shown(body.new ? next : before),
    ok: 1,
  };
}

function createIndexes(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, 'createIndexes');
  const existed = context.store.collection(database, name) !== undefined;
  const collection = context.store.collection(database, name, true);
  const before = collection.indexes.length;
  if (!Array.isArray(body.indexes) || body.indexes.length === 0)
    throw new PeerError(2, 'BadValue', 'Must specify at least one index to create');
  for (const raw of body.indexes) {
    const spec = asDocument(raw, 'indexes') as IndexSpec;
    if (!isPlainObject(spec.key) || Object.keys(spec.key).length === 0)
      throw new PeerError(
        67,
        'CannotCreateIndex',
        "The 'key' field is a required property of an index specification",
      );
    if (typeof spec.name !== 'string' || spec.name === '')
      throw new PeerError(
        67,
        'CannotCreateIndex',
        "The 'name' field is a required property of an index specification",
      );
    collection.createIndex(spec);
  }
  const after = collection.indexes.length;
  return {
    numIndexesBefore: before,
    numIndexesAfter: after,
    ...(after === before ? { note: 'all indexes already exist' } : {}),
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
}

function listIndexes(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, 'listIndexes');
  const collection = context.store.collection(database, name);
  if (!collection)
    throw new PeerError(26, 'NamespaceNotFound', `ns does not exist: ${database}.${name}`);
  const batchSize = asCount(
    isPlainObject(body.cursor) ? body.cursor.batchSize : undefined,
    'batchSize',
  );
  return cursorReply(
    context,
    `${database}.$cmd.listIndexes.${name}`,
    collection.indexes.map((index) => copyDocument(index)),
    batchSize,
    false,
  );
}

function listCollections(context: CommandContext, database: string, body: Document): Document {
  const collections = [...(context.store.databases.get(database)?.values() ?? [])].map(
    (collection) => ({
      name: collection.name,
      type: 'collection',
      options: {},
      info: { readOnly: false },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    }),
  );
  const filtered = findDocuments(collections, asDocument(body.filter, 'filter'));
  const shown = body.nameOnly
    ? filtered.map((entry) => ({ name: entry.name, type: entry.type }))
    : filtered;
  return cursorReply(context, `${database}.$cmd.listCollections`, shown, 0, false);
}

function create(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, 'create');
  if (context.store.collection(database, name))
    throw new PeerError(48, 'NamespaceExists', `Collection ${database}.${name} already exists.`);
  context.store.collection(database, name, true);
  return { ok: 1 };
}

function drop(context: CommandContext, database: string, body: Document): Document {
  const name = collectionName(body, 'drop');
  const collection = context.store.collection(database, name);
  context.store.databases.get(database)?.delete(name);
  return collection
    ? { nIndexesWas: collection.indexes.length, ns: collection.namespace, ok: 1 }
    : { ok: 1 };
}

function dropDatabase(context: CommandContext, database: string): Document {
  context.store.databases.delete(database);
  return { ok: 1 };
}

/** The data commands, by name. */
export const dataCommands: Record<
  string,
  (context: CommandContext, database: string, body: Document) => Document
> = {
  find,
  getMore,
  killCursors: (context, _database, body) => killCursors(context, body),
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
  createIndexes,
  listIndexes,
  listCollections,
  create,
  drop,
  dropDatabase: (context, database) => dropDatabase(context, database),
};
