import type { KeyValueStore, ScopedKeyValueStore } from '../ports/storage';

/** Binds a key-value store to one namespace. */
export function scopeKeyValueStore(kv: KeyValueStore, namespace: string): ScopedKeyValueStore {
  return {
    get: (key) => kv.get(namespace, key),
    set: (key, value, options) => kv.set(namespace, key, value, options),
    add: (key, value, options) => kv.add(namespace, key, value, options),
    increment: (key, by, options) => kv.increment(namespace, key, by, options),
    delete: (key) => kv.delete(namespace, key),
    list: (options) => kv.list(namespace, options),
  };
}
