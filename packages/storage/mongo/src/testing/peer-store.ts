/**
 * The in-memory data of the MongoDB peer: databases of collections of documents, each with its
 * indexes. Unique indexes are enforced on every write (a missing field indexes as null, an
 * array as each of its elements), with the server's E11000 error; TTL indexes are recorded and
 * swept by {@link PeerStore.sweepExpired}. Each index also keeps its documents in buckets by key,
 * so that a unique check, and a query with equality on an index's fields, look at the documents
 * of one bucket instead of all (the full filter still decides which of them match).
 */
import { BSON, ObjectId } from 'bson';
import { matches } from './peer-filter';
import {
  compareValues,
  copyDocument,
  type Document,
  isPlainObject,
  PeerError,
  typeRank,
  valuesAt,
  valuesEqual,
} from './peer-values';

/**
 * A bucket name for an index key value: values the server holds equal (`valuesEqual`) always
 * share one, and most unequal ones do not.
 */
function bucketPart(value: unknown): string {
  const rank = typeRank(value);
  if (rank === 2) return `2:${Number(typeof value === 'object' ? String(value) : value)}`;
  if (typeof value === 'string') return `3:${value}`;
  if (typeof value === 'boolean') return `8:${value}`;
  if (value instanceof Date) return `9:${value.getTime()}`;
  if (value instanceof ObjectId) return `7:${value.toHexString()}`;
  return String(rank);
}

const bucketOf = (key: unknown[]) => key.map(bucketPart).join('\u0000');

/** The bucket of that name, made when missing. */
function bucketIn(buckets: Map<string, Set<Document>>, name: string): Set<Document> {
  let bucket = buckets.get(name);
  if (!bucket) {
    bucket = new Set();
    buckets.set(name, bucket);
  }
  return bucket;
}

/** A filter value that an index bucket can look up: a plain scalar, not an operator or array. */
const isLookupValue = (value: unknown) =>
  typeof value === 'string' ||
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  value instanceof Date ||
  value instanceof ObjectId;

/** The largest document the server stores: 16 MiB. */
export const maxBsonObjectSize = 16 * 1024 * 1024;

/** An index as `listIndexes` shows it. */
export interface IndexSpec extends Document {
  v: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

/** One collection: its documents in insertion order and its indexes (`_id_` first). */
export class PeerCollection {
  readonly documents: Document[] = [];
  readonly indexes: IndexSpec[] = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
  /** Per index name: its documents by bucket of their keys. */
  private readonly buckets = new Map<string, Map<string, Set<Document>>>([['_id_', new Map()]]);
  /** Each document's place in insertion order (kept by a replacement). */
  private readonly order = new Map<Document, number>();
  private inserted = 0;

  constructor(
    readonly database: string,
    readonly name: string,
  ) {}

  /**
   * The documents that may match `filter`, in insertion order: the bucket of an index whose
   * every field the filter compares for equality with a scalar, else all of them.
   */
  candidates(filter: Document = {}): readonly Document[] {
    for (const index of this.indexes) {
      if (index.partialFilterExpression || index.sparse) continue;
      const fields = Object.keys(index.key);
      if (!fields.every((field) => Object.hasOwn(filter, field) && isLookupValue(filter[field])))
        continue;
      const bucket = this.buckets.get(index.name)?.get(bucketOf(fields.map((f) => filter[f])));
      return [...(bucket ?? [])].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    }
    return this.documents;
  }

  private addToBuckets(document: Document): void {
    for (const index of this.indexes) {
      const buckets = this.buckets.get(index.name)!;
      for (const key of this.keysOf(document, index) ?? []) {
        const name = bucketOf(key);
        bucketIn(buckets, name).add(document);
      }
    }
  }

  private removeFromBuckets(document: Document): void {
    for (const index of this.indexes) {
      const buckets = this.buckets.get(index.name)!;
      for (const key of this.keysOf(document, index) ?? []) {
        const name = bucketOf(key);
        const bucket = buckets.get(name);
        bucket?.delete(document);
        if (bucket?.size === 0) buckets.delete(name);
      }
    }
  }

  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  /** The index keys of a document for one index: one tuple per array element reached. */
  private keysOf(document: Document, index: IndexSpec): unknown[][] | undefined {
    if (index.partialFilterExpression && !matches(document, index.partialFilterExpression))
      return undefined;
    const fields = Object.keys(index.key);
    const perField = fields.map((field) => {
      const values = valuesAt(document, field, false).flatMap((value) =>
        Array.isArray(value) ? (value.length === 0 ? [undefined] : value) : [value],
      );
      return values.map((value) => (value === undefined ? null : value));
    });
    if (index.sparse && perField.every((values) => values.every((value) => value === null)))
      return undefined;
    let tuples: unknown[][] = [[]];
    for (const values of perField)
      tuples = tuples.flatMap((tuple) => values.map((value) => [...tuple, value]));
    return tuples;
  }

  /** True when `other` has `key` among its keys for `index`. */
  private clashes(other: Document, index: IndexSpec, key: unknown[]): boolean {
    return (this.keysOf(other, index) ?? []).some((otherKey) =>
      otherKey.every((value, at) => valuesEqual(value, key[at])),
    );
  }

  /** Throws E11000 when `document` would share a unique index key with another document. */
  checkUnique(document: Document, ignore?: Document): void {
    const size = BSON.calculateObjectSize(document);
    if (size > maxBsonObjectSize) {
      throw new PeerError(
        10334,
        'BSONObjectTooLarge',
        `BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB)`,
      );
    }
    for (const index of this.indexes) {
      if (!index.unique && index.name !== '_id_') continue;
      const keys = this.keysOf(document, index);
      if (!keys) continue;
      const buckets = this.buckets.get(index.name)!;
      for (const key of keys) {
        for (const other of buckets.get(bucketOf(key)) ?? []) {
          if (other === ignore) continue;
          if (this.clashes(other, index, key)) throw duplicateKey(this.namespace, index, key);
        }
      }
    }
  }

  /** Inserts a copy (an `_id` ObjectId is added when missing); returns the stored document. */
  insert(document: Document): Document {
    const stored = copyDocument(document);
    if (stored._id === undefined) {
      const withId: Document = { _id: new ObjectId(), ...stored };
      this.checkUnique(withId);
      this.add(withId);
      return withId;
    }
    if (Array.isArray(stored._id)) throw new PeerError(2, 'BadValue', "can't use an array for _id");
    this.checkUnique(stored);
    this.add(stored);
    return stored;
  }

  private add(document: Document): void {
    this.documents.push(document);
    this.order.set(document, this.inserted++);
    this.addToBuckets(document);
  }

  /** Puts `next` in place of `current`, after checking unique indexes. */
  replace(current: Document, next: Document): void {
    this.checkUnique(next, current);
    const at = this.documents.indexOf(current);
    if (at < 0) return;
    this.documents[at] = next;
    this.removeFromBuckets(current);
    this.order.set(next, this.order.get(current)!);
    this.order.delete(current);
    this.addToBuckets(next);
  }

  remove(document: Document): void {
    const at = this.documents.indexOf(document);
    if (at < 0) return;
    this.documents.splice(at, 1);
    this.removeFromBuckets(document);
    this.order.delete(document);
  }

  /** Creates an index, or does nothing when the same one exists; true when it was created. */
  createIndex(spec: IndexSpec): boolean {
    const sameName = this.indexes.find((index) => index.name === spec.name);
    const sameKey = this.indexes.find((index) => valuesEqual(index.key, spec.key));
    const options = (index: IndexSpec) => [
      Boolean(index.unique),
      Boolean(index.sparse),
      index.expireAfterSeconds ?? null,
    ];
    if (sameName && !valuesEqual(sameName.key, spec.key)) {
      throw new PeerError(
        86,
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
      );
    }
    if (sameKey) {
      if (valuesEqual(options(sameKey), options(spec)) && sameKey.name === spec.name) return false;
      throw new PeerError(
        85,
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name or options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKey)}`,
      );
    }
    const index: IndexSpec = { ...spec, v: 2 };
    const buckets = new Map<string, Set<Document>>();
    for (const document of this.documents) {
      for (const key of this.keysOf(document, index) ?? []) {
        const name = bucketOf(key);
        const bucket = bucketIn(buckets, name);
        if (index.unique)
          for (const other of bucket) {
            if (other === document) continue;
            if (this.clashes(other, index, key)) throw duplicateKey(this.namespace, index, key);
          }
        bucket.add(document);
      }
    }
    this.buckets.set(index.name, buckets);
    this.indexes.push(index);
    return true;
  }

  /** Deletes the documents whose TTL index date is more than `expireAfterSeconds` old. */
  sweepExpired(now: number): number {
    let removed = 0;
    for (const index of this.indexes) {
      if (index.expireAfterSeconds === undefined) continue;
      const field = Object.keys(index.key)[0]!;
      const limit = now - index.expireAfterSeconds * 1000;
      for (const document of [...this.documents]) {
        const dates = valuesAt(document, field).filter((value) => value instanceof Date);
        if (dates.length > 0 && Math.min(...dates.map((date) => date.getTime())) <= limit) {
          this.remove(document);
          removed++;
        }
      }
    }
    return removed;
  }
}

/** The server's duplicate key error, as a write error or a command error. */
function duplicateKey(namespace: string, index: IndexSpec, key: unknown[]): PeerError {
  const fields = Object.keys(index.key);
  const keyValue: Document = {};
  fields.forEach((field, at) => {
    keyValue[field] = key[at];
  });
  const shown = fields.map((field, at) => `${field}: ${JSON.stringify(key[at])}`).join(', ');
  return new PeerError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespace} index: ${index.name} dup key: { ${shown} }`,
    { keyPattern: index.key, keyValue },
  );
}

/** Every database of the peer. */
export class PeerStore {
  readonly databases = new Map<string, Map<string, PeerCollection>>();

  collection(database: string, name: string, create: true): PeerCollection;
  collection(database: string, name: string, create?: boolean): PeerCollection | undefined;
  collection(database: string, name: string, create = false): PeerCollection | undefined {
    let collections = this.databases.get(database);
    if (!collections) {
      if (!create) return undefined;
      collections = new Map();
      this.databases.set(database, collections);
    }
    let collection = collections.get(name);
    if (!collection && create) {
      if (typeof name !== 'string' || name === '' || name.includes('$'))
        throw new PeerError(73, 'InvalidNamespace', `Invalid collection name: ${String(name)}`);
      collection = new PeerCollection(database, name);
      collections.set(name, collection);
    }
    return collection;
  }

  sweepExpired(now = Date.now()): number {
    let removed = 0;
    for (const collections of this.databases.values())
      for (const collection of collections.values()) removed += collection.sweepExpired(now);
    return removed;
  }
}

/** The documents (of a collection, if it exists) that match a filter, sorted (`{ field: 1 | -1 }`). */
export function findDocuments(
  documents: readonly Document[] | undefined,
  filter: Document = {},
  sort?: Document,
): Document[] {
  const found = (documents ?? []).filter((document) => matches(document, filter));
  if (!sort || Object.keys(sort).length === 0) return found;
  const keys = Object.entries(sort).map(([path, direction]) => {
    if (direction !== 1 && direction !== -1)
      throw new PeerError(
        2,
        'BadValue',
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
    return { path, direction };
  });
  const sortValue = (document: Document, path: string, direction: number) => {
    const values = valuesAt(document, path, false).flatMap((value) =>
      Array.isArray(value) ? value : [value],
    );
    return values.reduce((best, value) =>
      direction * compareValues(value, best) < 0 ? value : best,
    );
  };
  return found
    .map((document, position) => ({ document, position }))
    .sort((a, b) => {
      for (const { path, direction } of keys) {
        const order = compareValues(
          sortValue(a.document, path, direction),
          sortValue(b.document, path, direction),
        );
        if (order !== 0) return direction * order;
      }
      return a.position - b.position;
    })
    .map(({ document }) => document);
}

/** A copy of the document with only (or without) the projection's fields. */
export function project(document: Document, projection: Document | undefined): Document {
  const copy = copyDocument(document);
  if (!projection || Object.keys(projection).length === 0) return copy;
  const entries = Object.entries(projection);
  const including = entries.some(([field, flag]) => field !== '_id' && Boolean(flag));
  const keepId = projection._id === undefined || Boolean(projection._id);
  if (!including) {
    for (const [field, flag] of entries) if (!flag) delete copy[field];
    return copy;
  }
  const result: Document = keepId && '_id' in copy ? { _id: copy._id } : {};
  for (const [field, flag] of entries) {
    if (field === '_id' || !flag) continue;
    const [head, ...rest] = field.split('.');
    if (!(head! in copy)) continue;
    if (rest.length === 0 || !isPlainObject(copy[head!])) result[head!] = copy[head!];
    else {
      const inner = project(copy[head!] as Document, { [rest.join('.')]: 1, _id: 0 });
      result[head!] = { ...((result[head!] as Document | undefined) ?? {}), ...inner };
    }
  }
  return result;
}
