import { describe, expect, it } from 'vitest';
import { expectError, type StorageContractSubject, sleep } from './contract-helpers';

/** The storage contract for the key-value store. */
export function keyValueStoreContract(subject: StorageContractSubject): void {
  describe('kv', () => {
    it('get, set, overwrite and delete', async () => {
      expect(await subject.storage.kv.get('test', 'a')).toBeUndefined();
      await subject.storage.kv.set('test', 'a', 1);
      expect(await subject.storage.kv.get('test', 'a')).toBe(1);
      await subject.storage.kv.set('test', 'a', 'two');
      expect(await subject.storage.kv.get('test', 'a')).toBe('two');
      expect(await subject.storage.kv.delete('test', 'a')).toBe(true);
      expect(await subject.storage.kv.get('test', 'a')).toBeUndefined();
      expect(await subject.storage.kv.delete('test', 'a')).toBe(false);
    });

    it('keeps namespaces apart', async () => {
      await subject.storage.kv.set('one', 'key', 1);
      await subject.storage.kv.set('two', 'key', 2);
      expect(await subject.storage.kv.get('one', 'key')).toBe(1);
      expect(await subject.storage.kv.get('two', 'key')).toBe(2);
      expect(await subject.storage.kv.delete('one', 'key')).toBe(true);
      expect(await subject.storage.kv.get('two', 'key')).toBe(2);
      expect(await subject.storage.kv.list('two')).toEqual([{ key: 'key', value: 2 }]);
      expect(await subject.storage.kv.list('one')).toEqual([]);
    });

    it('list orders by key (case-sensitive), with prefix and limit', async () => {
      for (const key of ['b', 'a', 'c', 'ab', 'B', 'a2', 'A1'])
        await subject.storage.kv.set('test', key, key.toUpperCase());
      await subject.storage.kv.set('other', 'a0', 0);
      const keys = async (listOptions?: { prefix?: string; limit?: number }) =>
        (await subject.storage.kv.list('test', listOptions)).map((entry) => entry.key);
      expect(await keys()).toEqual(['A1', 'B', 'a', 'a2', 'ab', 'b', 'c']);
      expect(await keys({ prefix: 'a' })).toEqual(['a', 'a2', 'ab']);
      expect(await keys({ limit: 2 })).toEqual(['A1', 'B']);
      expect(await keys({ prefix: 'a', limit: 2 })).toEqual(['a', 'a2']);
      expect(await keys({ prefix: 'zz' })).toEqual([]);
      expect(await keys({ limit: 0 })).toEqual([]);
      expect(await subject.storage.kv.list('test', { prefix: 'ab' })).toEqual([
        { key: 'ab', value: 'AB' },
      ]);
    });

    it('list treats %, _ and \\ in a prefix literally, and handles non-ASCII prefixes', async () => {
      const keys = [
        '😁',
        '50%off',
        '50_off',
        '50xoff',
        '500',
        'a_b',
        'axb',
        'a%',
        'a%b',
        'c\\d',
        'cd',
      ];
      keys.push('ключ1', 'клюв', '😀a', '😀b', '\uff5a', '\uffff');
      for (const key of keys) await subject.storage.kv.set('test', key, true);
      const listed = async (prefix: string) =>
        (await subject.storage.kv.list('test', { prefix })).map((entry) => entry.key);
      expect(await listed('50%')).toEqual(['50%off']);
      expect(await listed('50_')).toEqual(['50_off']);
      expect(await listed('a_')).toEqual(['a_b']);
      expect(await listed('a%')).toEqual(['a%', 'a%b']);
      expect(await listed('c\\')).toEqual(['c\\d']);
      expect(await listed('ключ')).toEqual(['ключ1']);
      expect(await listed('😀')).toEqual(['😀a', '😀b']);
      expect(await listed('\uffff')).toEqual(['\uffff']);
      // Code point order (as in UTF-8), where U+FF5A sorts before an emoji.
      expect((await listed('')).slice(-6)).toEqual([
        'ключ1',
        '\uff5a',
        '\uffff',
        '😀a',
        '😀b',
        '😁',
      ]);
    });

    it('round-trips JSON values, nested and primitive', async () => {
      const values: Record<string, unknown> = {
        nested: { list: [1, { deep: [true, null, 'ü'] }], empty: {}, none: [], number: 1.5 },
        zero: 0,
        empty: '',
        false: false,
        null: null,
        array: ['x', 2],
      };
      for (const [key, value] of Object.entries(values))
        await subject.storage.kv.set('test', key, value);
      for (const [key, value] of Object.entries(values))
        expect(await subject.storage.kv.get('test', key)).toEqual(value);
      expect(await subject.storage.kv.get('test', 'null')).toBeNull();
      expect((await subject.storage.kv.list('test', { prefix: 'nested' }))[0]?.value).toEqual(
        values.nested,
      );
    });

    it('rejects values that are not JSON, and empty namespaces or keys', async () => {
      await expectError(
        () => subject.storage.kv.set('test', 'a', undefined),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await expectError(
        () => subject.storage.kv.set('test', 'a', () => 1),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await expectError(() => subject.storage.kv.set('test', 'a', 10n), 'BOTWIRE_INVALID_ARGUMENT');
      await expectError(() => subject.storage.kv.set('', 'a', 1), 'BOTWIRE_INVALID_ARGUMENT');
      await expectError(() => subject.storage.kv.set('test', '', 1), 'BOTWIRE_INVALID_ARGUMENT');
      expect(await subject.storage.kv.list('test')).toEqual([]);
    });

    it('add stores only when the key is absent, once under concurrency', async () => {
      expect(await subject.storage.kv.add('test', 'lock', 'first')).toBe(true);
      expect(await subject.storage.kv.add('test', 'lock', 'second')).toBe(false);
      expect(await subject.storage.kv.get('test', 'lock')).toBe('first');
      await subject.storage.kv.delete('test', 'lock');
      expect(await subject.storage.kv.add('test', 'lock', 'third')).toBe(true);
      expect(await subject.storage.kv.get('test', 'lock')).toBe('third');

      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => subject.storage.kv.add('test', 'race', index)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await subject.storage.kv.get('test', 'race')).toBe(results.indexOf(true));
    });

    it('increment counts from 0, returns the new value, and adds any finite amount', async () => {
      expect(await subject.storage.kv.increment('test', 'count')).toBe(1);
      expect(await subject.storage.kv.increment('test', 'count')).toBe(2);
      expect(await subject.storage.kv.increment('test', 'count', 5)).toBe(7);
      expect(await subject.storage.kv.increment('test', 'count', -10)).toBe(-3);
      expect(await subject.storage.kv.increment('test', 'count', 0.5)).toBe(-2.5);
      expect(await subject.storage.kv.get('test', 'count')).toBe(-2.5);
      expect(await subject.storage.kv.increment('test', 'fresh', 3)).toBe(3);
      await subject.storage.kv.set('test', 'set', 40);
      expect(await subject.storage.kv.increment('test', 'set', 2)).toBe(42);
      expect(await subject.storage.kv.increment('other', 'count')).toBe(1);
      expect(await subject.storage.kv.list('test', { prefix: 'c' })).toEqual([
        { key: 'count', value: -2.5 },
      ]);
    });

    it('increment of a value that is not a number, or by a bad amount, throws and changes nothing', async () => {
      for (const value of ['7', null, { count: 1 }, [1], true]) {
        await subject.storage.kv.set('test', 'key', value);
        await expectError(
          () => subject.storage.kv.increment('test', 'key'),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect(await subject.storage.kv.get('test', 'key')).toEqual(value);
      }
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
        await expectError(
          () => subject.storage.kv.increment('test', 'count', bad),
          'BOTWIRE_INVALID_ARGUMENT',
        );
      }
      await subject.storage.kv.set('test', 'big', Number.MAX_VALUE);
      await expectError(
        () => subject.storage.kv.increment('test', 'big', Number.MAX_VALUE),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await expectError(() => subject.storage.kv.increment('', 'key'), 'BOTWIRE_INVALID_ARGUMENT');
      await expectError(() => subject.storage.kv.increment('test', ''), 'BOTWIRE_INVALID_ARGUMENT');
      await expectError(
        () => subject.storage.kv.increment('test', 'count', 1, { ttlMs: 0 }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect(await subject.storage.kv.get('test', 'count')).toBeUndefined();
    });

    it('increment is atomic: 200 concurrent increments give 200', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, () => subject.storage.kv.increment('test', 'race')),
      );
      expect(await subject.storage.kv.get('test', 'race')).toBe(200);
      expect(new Set(results).size).toBe(200);
      expect(Math.max(...results)).toBe(200);
    });

    it('increment sets the ttl when it creates the key, keeps it after, and restarts once expired', async () => {
      expect(await subject.storage.kv.increment('test', 'short', 1, { ttlMs: subject.ttlMs })).toBe(
        1,
      );
      expect(await subject.storage.kv.increment('test', 'short', 1, { ttlMs: 60_000 })).toBe(2);
      expect(await subject.storage.kv.increment('test', 'kept', 1, { ttlMs: 60_000 })).toBe(1);
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.get('test', 'short')).toBeUndefined();
      expect(await subject.storage.kv.increment('test', 'short')).toBe(1);
      expect(await subject.storage.kv.increment('test', 'kept')).toBe(2);
      await subject.storage.kv.set('test', 'stale', 'text', { ttlMs: subject.ttlMs });
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.increment('test', 'stale', 4)).toBe(4);
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.get('test', 'short')).toBe(1);
      expect(await subject.storage.kv.get('test', 'stale')).toBe(4);
    });

    it('forgets values after their ttl', async () => {
      await subject.storage.kv.set('test', 'short', 'gone', { ttlMs: subject.ttlMs });
      await subject.storage.kv.set('test', 'long', 'kept', { ttlMs: 60_000 });
      await subject.storage.kv.set('test', 'forever', 'kept');
      expect(await subject.storage.kv.add('test', 'added', 'gone', { ttlMs: subject.ttlMs })).toBe(
        true,
      );
      expect(await subject.storage.kv.get('test', 'long')).toBe('kept');
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.add('test', 'short', 'again')).toBe(true);
      expect(await subject.storage.kv.delete('test', 'added')).toBe(false);
      expect(await subject.storage.kv.get('test', 'added')).toBeUndefined();
      expect(await subject.storage.kv.get('test', 'short')).toBe('again');
      expect(await subject.storage.kv.get('test', 'long')).toBe('kept');
      await subject.storage.kv.set('test', 'listed', 'gone', { ttlMs: subject.ttlMs });
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.list('test')).toEqual([
        { key: 'forever', value: 'kept' },
        { key: 'long', value: 'kept' },
        { key: 'short', value: 'again' },
      ]);
      expect(await subject.storage.kv.get('test', 'listed')).toBeUndefined();
    });

    it('set without a ttl removes an earlier ttl', async () => {
      await subject.storage.kv.set('test', 'key', 1, { ttlMs: subject.ttlMs });
      await subject.storage.kv.set('test', 'key', 2);
      await sleep(subject.ttlMs + 50);
      expect(await subject.storage.kv.get('test', 'key')).toBe(2);
    });

    it('rejects a ttl that is not a positive number', async () => {
      for (const bad of [0, -5, Number.NaN]) {
        await expectError(
          () => subject.storage.kv.set('test', 'key', 1, { ttlMs: bad }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
      }
      expect(await subject.storage.kv.get('test', 'key')).toBeUndefined();
    });

    it('returns copies: changing a returned or passed value changes nothing stored', async () => {
      const value = { list: [1], inner: { flag: true } };
      await subject.storage.kv.set('test', 'key', value);
      value.list.push(2);
      value.inner.flag = false;
      const first = await subject.storage.kv.get<typeof value>('test', 'key');
      expect(first).toEqual({ list: [1], inner: { flag: true } });
      first!.list.push(3);
      const [entry] = await subject.storage.kv.list<typeof value>('test');
      entry!.value.inner.flag = false;
      expect(await subject.storage.kv.get('test', 'key')).toEqual({
        list: [1],
        inner: { flag: true },
      });
    });
  });
}
