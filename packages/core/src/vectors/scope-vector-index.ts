import type { ScopedVectorIndex, VectorIndex } from '../ports/vector-index';

/**
 * Binds a vector index to one namespace: what a tool handler gets as `context.vectors`, so
 * that it cannot name another namespace. The index checks the namespace on each call.
 *
 * @example
 * const vectors = scopeVectorIndex(index, `bot:${botName}/user:${userId}/memory`);
 * await vectors.upsert([{ id: 'm1', vector, payload: { text } }]);
 */
export function scopeVectorIndex(index: VectorIndex, namespace: string): ScopedVectorIndex {
  return {
    upsert: (records) => index.upsert(namespace, records),
    query: (vector, options) => index.query(namespace, vector, options),
    delete: (ids) => index.delete(namespace, ids),
    deleteWhere: (filter) => index.deleteWhere(namespace, filter),
    count: (filter) => index.count(namespace, filter),
    get: (ids) => index.get(namespace, ids),
  };
}
