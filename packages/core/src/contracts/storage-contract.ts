import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotwireErrorCode } from '../errors/error-catalog';
import type { Identity, StorageDriver } from '../storage/storage-driver';

/** Options for {@link runStorageContract}. */
export interface StorageContractOptions {
  /**
   * Runs after each test, once its drivers are closed: remove files, drop the database.
   * `createDriver` may be called more than once in a test, so clean up everything it made.
   */
  cleanup?: () => void | Promise<void>;
  /** The TTL the expiry tests use, in ms (default 25). The tests wait this long plus 50 ms. */
  ttlMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const idPattern = (prefix: string) => new RegExp(`^${prefix}_[0-9A-Za-z]+$`);

async function expectError(action: () => Promise<unknown>, code: BotwireErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a BotwireError ${code}`).toMatchObject({ name: 'BotwireError', code });
}

const telegram = (platformId: string): Identity => ({ platform: 'telegram', platformId });

/**
 * The test suite every storage driver must pass: one Vitest `describe` block. Each test gets a
 * fresh driver from `createDriver`, opened before and closed after it.
 *
 * @example
 * // mongo.test.ts
 * import { runStorageContract } from '@botwire/core/contracts';
 * runStorageContract('mongo', () => mongoStorage({ url, database: `test_${Date.now()}` }), {
 *   cleanup: () => dropTestDatabases(),
 * });
 */
export function runStorageContract(
  name: string,
  createDriver: () => StorageDriver | Promise<StorageDriver>,
  options: StorageContractOptions = {},
): void {
  const ttlMs = options.ttlMs ?? 25;

  describe(`storage contract: ${name}`, () => {
    let storage: StorageDriver;
    const made: StorageDriver[] = [];
    const create = async () => {
      const driver = await createDriver();
      made.push(driver);
      return driver;
    };

    beforeEach(async () => {
      storage = await create();
      await storage.open();
    });

    afterEach(async () => {
      for (const driver of made.splice(0)) await driver.close();
      await options.cleanup?.();
    });

    describe('lifecycle', () => {
      it('open() twice is harmless and keeps the data', async () => {
        await storage.kv.set('test', 'kept', 1);
        await storage.open();
        expect(await storage.kv.get('test', 'kept')).toBe(1);
      });

      it('fails with BOTWIRE_STORAGE_CLOSED after close(), and close() twice is harmless', async () => {
        const user = await storage.users.resolve(telegram('1'));
        const chat = await storage.chats.resolve(telegram('1'), { type: 'private' });
        await storage.close();
        await storage.close();
        await expectError(() => storage.users.resolve(telegram('1')), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.users.get(user.id), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(
          () => storage.users.update(user.id, { role: 'admin' }),
          'BOTWIRE_STORAGE_CLOSED',
        );
        await expectError(() => storage.users.list(), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.chats.get(chat.id), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(
          () => storage.messages.append({ chatId: chat.id, direction: 'in', text: 'late' }),
          'BOTWIRE_STORAGE_CLOSED',
        );
        await expectError(() => storage.messages.list(chat.id), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.kv.get('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.kv.set('test', 'a', 1), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.kv.add('test', 'a', 1), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.kv.delete('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => storage.kv.list('test'), 'BOTWIRE_STORAGE_CLOSED');
      });

      it('fails with BOTWIRE_STORAGE_CLOSED before open()', async () => {
        const unopened = await create();
        await expectError(() => unopened.kv.get('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
        await expectError(() => unopened.users.resolve(telegram('1')), 'BOTWIRE_STORAGE_CLOSED');
      });
    });

    describe('users', () => {
      it('resolve creates a user, then finds the same one', async () => {
        const created = await storage.users.resolve(telegram('1'), {
          name: 'Ann',
          username: 'ann',
          locale: 'en',
        });
        expect(created.id).toMatch(idPattern('usr'));
        expect(created.identities).toEqual([telegram('1')]);
        expect(created).toMatchObject({ name: 'Ann', username: 'ann', locale: 'en', data: {} });
        expect(created.role).toBeUndefined();
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt).toBeInstanceOf(Date);
        expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

        const found = await storage.users.resolve(telegram('1'));
        expect(found.id).toBe(created.id);
        expect(found.name).toBe('Ann');
        expect(found.createdAt.getTime()).toBe(created.createdAt.getTime());
        expect(await storage.users.get(created.id)).toEqual(found);
        expect(await storage.users.findByIdentity(telegram('1'))).toEqual(found);
        expect(await storage.users.list()).toHaveLength(1);
      });

      it('resolve refreshes only the profile fields it is given', async () => {
        const created = await storage.users.resolve(telegram('1'), {
          name: 'Ann',
          username: 'ann',
          locale: 'en',
        });
        const refreshed = await storage.users.resolve(telegram('1'), {
          locale: 'ru',
          name: 'Anna',
        });
        expect(refreshed).toMatchObject({
          id: created.id,
          name: 'Anna',
          username: 'ann',
          locale: 'ru',
        });
        expect(refreshed.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
        expect(await storage.users.get(created.id)).toMatchObject({
          name: 'Anna',
          username: 'ann',
          locale: 'ru',
        });
      });

      it('resolve gives different users for different identities and platforms', async () => {
        const first = await storage.users.resolve(telegram('1'));
        const second = await storage.users.resolve(telegram('2'));
        const other = await storage.users.resolve({ platform: 'discord', platformId: '1' });
        expect(new Set([first.id, second.id, other.id]).size).toBe(3);
        expect(
          (await storage.users.findByIdentity({ platform: 'discord', platformId: '1' }))?.id,
        ).toBe(other.id);
        expect((await storage.users.findByIdentity(telegram('2')))?.id).toBe(second.id);
        expect(await storage.users.findByIdentity(telegram('3'))).toBeUndefined();
        expect(await storage.users.get('usr_unknown')).toBeUndefined();
      });

      it('concurrent resolves of one identity give one user', async () => {
        const users = await Promise.all(
          Array.from({ length: 5 }, () => storage.users.resolve(telegram('7'))),
        );
        expect(new Set(users.map((user) => user.id)).size).toBe(1);
        expect(await storage.users.list()).toHaveLength(1);
      });

      it('ids are prefixed, unique and stable', async () => {
        const users = [];
        for (let index = 0; index < 20; index++)
          users.push(await storage.users.resolve(telegram(String(index))));
        const ids = users.map((user) => user.id);
        expect(new Set(ids).size).toBe(20);
        for (const id of ids) expect(id).toMatch(idPattern('usr'));
        for (const user of users)
          expect((await storage.users.resolve(user.identities[0]!)).id).toBe(user.id);
      });

      it('update sets a role, clears it with null, and replaces data', async () => {
        const user = await storage.users.resolve(telegram('1'), { name: 'Ann' });
        const admin = await storage.users.update(user.id, { role: 'admin' });
        expect(admin.role).toBe('admin');
        expect((await storage.users.get(user.id))?.role).toBe('admin');

        const withData = await storage.users.update(user.id, {
          data: { timezone: 'UTC', seen: { count: 2 } },
        });
        expect(withData).toMatchObject({
          role: 'admin',
          name: 'Ann',
          data: { timezone: 'UTC', seen: { count: 2 } },
        });

        const cleared = await storage.users.update(user.id, { role: null, name: 'Anna' });
        expect(cleared.role).toBeUndefined();
        expect(cleared.name).toBe('Anna');
        expect(cleared.data).toEqual({ timezone: 'UTC', seen: { count: 2 } });

        await storage.users.update(user.id, { data: { onboarded: true } });
        const stored = await storage.users.get(user.id);
        expect(stored?.role).toBeUndefined();
        expect(stored?.data).toEqual({ onboarded: true });
        expect(stored?.createdAt.getTime()).toBe(user.createdAt.getTime());
      });

      it('update of an unknown id or with an unknown role throws BOTWIRE_INVALID_ARGUMENT', async () => {
        await expectError(
          () => storage.users.update('usr_unknown', { role: 'admin' }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        const user = await storage.users.resolve(telegram('1'));
        await expectError(
          () => storage.users.update(user.id, { role: 'king' as unknown as 'admin' }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect((await storage.users.get(user.id))?.role).toBeUndefined();
      });

      it('link adds an identity, and the user is found by either', async () => {
        const user = await storage.users.resolve(telegram('1'));
        const discord = { platform: 'discord', platformId: '900' };
        const linked = await storage.users.link(user.id, discord);
        expect(linked.id).toBe(user.id);
        expect(linked.identities).toEqual([telegram('1'), discord]);
        expect((await storage.users.findByIdentity(discord))?.id).toBe(user.id);
        expect((await storage.users.findByIdentity(telegram('1')))?.identities).toEqual([
          telegram('1'),
          discord,
        ]);
        expect((await storage.users.resolve(discord)).id).toBe(user.id);
        expect(await storage.users.list()).toHaveLength(1);
      });

      it("link of an identity already linked is a no-op; another user's identity throws", async () => {
        const first = await storage.users.resolve(telegram('1'));
        const second = await storage.users.resolve(telegram('2'));
        expect((await storage.users.link(first.id, telegram('1'))).identities).toEqual([
          telegram('1'),
        ]);
        await expectError(
          () => storage.users.link(first.id, telegram('2')),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        await expectError(
          () => storage.users.link('usr_unknown', telegram('3')),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect((await storage.users.findByIdentity(telegram('2')))?.id).toBe(second.id);
        expect(await storage.users.findByIdentity(telegram('3'))).toBeUndefined();
      });

      it('list returns users in creation order, with role filter, limit and offset', async () => {
        const ids: string[] = [];
        for (const platformId of ['a', 'b', 'c', 'd'])
          ids.push((await storage.users.resolve(telegram(platformId))).id);
        const [a, b, c, d] = ids;
        await storage.users.update(c!, { role: 'admin' });
        await storage.users.update(a!, { role: 'admin' });
        await storage.users.update(d!, { role: 'user' });
        const listed = async (listOptions?: Parameters<StorageDriver['users']['list']>[0]) =>
          (await storage.users.list(listOptions)).map((user) => user.id);
        expect(await listed()).toEqual([a, b, c, d]);
        expect(await listed({ role: 'admin' })).toEqual([a, c]);
        expect(await listed({ role: 'owner' })).toEqual([]);
        expect(await listed({ limit: 2 })).toEqual([a, b]);
        expect(await listed({ offset: 1, limit: 2 })).toEqual([b, c]);
        expect(await listed({ offset: 3 })).toEqual([d]);
        expect(await listed({ role: 'admin', offset: 1 })).toEqual([c]);
        expect(await listed({ limit: 0 })).toEqual([]);
      });

      it('returns copies: changing a returned or passed object changes nothing stored', async () => {
        const user = await storage.users.resolve(telegram('1'));
        const data = { list: [1] };
        const updated = await storage.users.update(user.id, { data });
        data.list.push(2);
        updated.data.fromUpdate = true;
        user.identities.push(telegram('2'));
        const got = await storage.users.get(user.id);
        got!.identities.push(telegram('3'));
        got!.name = 'changed';
        (got!.data.list as number[]).push(3);
        const found = await storage.users.findByIdentity(telegram('1'));
        found!.identities.pop();
        const [listed] = await storage.users.list();
        listed!.data.listed = true;
        const stored = await storage.users.get(user.id);
        expect(stored?.identities).toEqual([telegram('1')]);
        expect(stored?.name).toBeUndefined();
        expect(stored?.data).toEqual({ list: [1] });
      });

      it('rejects an identity without platform or platformId', async () => {
        await expectError(
          () => storage.users.resolve({ platform: '', platformId: '1' }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        await expectError(
          () => storage.users.resolve({ platform: 'telegram' } as Identity),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect(await storage.users.list()).toEqual([]);
      });
    });

    describe('chats', () => {
      it('resolve creates a chat, then finds the same one; get finds it by id', async () => {
        const group = { platform: 'telegram', platformId: '-100' };
        const created = await storage.chats.resolve(group, { type: 'group', title: 'Team' });
        expect(created.id).toMatch(idPattern('cht'));
        expect(created).toMatchObject({ identity: group, type: 'group', title: 'Team' });
        expect(created.createdAt).toBeInstanceOf(Date);
        const found = await storage.chats.resolve(group, { type: 'group' });
        expect(found).toEqual(created);
        expect(await storage.chats.get(created.id)).toEqual(created);
        expect(await storage.chats.get('cht_unknown')).toBeUndefined();
      });

      it('resolve gives different chats for different identities and platforms, and refreshes the title', async () => {
        const first = await storage.chats.resolve(telegram('1'), { type: 'private' });
        const other = await storage.chats.resolve(
          { platform: 'discord', platformId: '1' },
          { type: 'private' },
        );
        const second = await storage.chats.resolve(telegram('2'), { type: 'group', title: 'Old' });
        expect(new Set([first.id, other.id, second.id]).size).toBe(3);
        expect(first.title).toBeUndefined();
        const renamed = await storage.chats.resolve(telegram('2'), { type: 'group', title: 'New' });
        expect(renamed.id).toBe(second.id);
        expect((await storage.chats.get(second.id))?.title).toBe('New');
      });
    });

    describe('messages', () => {
      const setUp = async () => {
        const chat = await storage.chats.resolve(telegram('1'), { type: 'private' });
        const user = await storage.users.resolve(telegram('1'));
        return { chat, user };
      };

      it('append stores every field and gives increasing ids', async () => {
        const { chat, user } = await setUp();
        const first = await storage.messages.append({
          chatId: chat.id,
          userId: user.id,
          direction: 'in',
          text: 'hello',
          platformMessageId: '77',
          meta: { tool: { name: 'web_fetch', arguments: [1, 'two', null] }, ok: true },
        });
        expect(first).toMatchObject({
          chatId: chat.id,
          userId: user.id,
          direction: 'in',
          text: 'hello',
          platformMessageId: '77',
          meta: { tool: { name: 'web_fetch', arguments: [1, 'two', null] }, ok: true },
        });
        expect(Number.isInteger(first.id)).toBe(true);
        expect(first.at).toBeInstanceOf(Date);
        const at = new Date('2024-05-01T10:00:00.123Z');
        const second = await storage.messages.append({
          chatId: chat.id,
          direction: 'out',
          text: 'hi',
          at,
        });
        expect(second.id).toBeGreaterThan(first.id);
        expect(second.userId).toBeUndefined();
        expect(second.meta).toBeUndefined();
        expect(second.at.getTime()).toBe(at.getTime());
        expect(await storage.messages.list(chat.id)).toEqual([first, second]);
      });

      it('list returns the newest `limit` messages, oldest first (default 50)', async () => {
        const { chat } = await setUp();
        for (let index = 1; index <= 60; index++) {
          await storage.messages.append({ chatId: chat.id, direction: 'in', text: String(index) });
        }
        const texts = async (listOptions?: { limit?: number; beforeId?: number }) =>
          (await storage.messages.list(chat.id, listOptions)).map((message) => message.text);
        expect(await texts({ limit: 3 })).toEqual(['58', '59', '60']);
        const all = await texts();
        expect(all).toHaveLength(50);
        expect(all[0]).toBe('11');
        expect(all[49]).toBe('60');
        expect(await texts({ limit: 0 })).toEqual([]);
      });

      it('beforeId pages back through the history', async () => {
        const { chat } = await setUp();
        const ids: number[] = [];
        for (let index = 1; index <= 5; index++) {
          ids.push(
            (
              await storage.messages.append({
                chatId: chat.id,
                direction: 'in',
                text: String(index),
              })
            ).id,
          );
        }
        const page = await storage.messages.list(chat.id, { limit: 2, beforeId: ids[3] });
        expect(page.map((message) => message.text)).toEqual(['2', '3']);

        const seen: string[] = [];
        let beforeId: number | undefined;
        for (;;) {
          const batch = await storage.messages.list(chat.id, {
            limit: 2,
            ...(beforeId ? { beforeId } : {}),
          });
          if (batch.length === 0) break;
          seen.unshift(...batch.map((message) => message.text));
          beforeId = batch[0]!.id;
        }
        expect(seen).toEqual(['1', '2', '3', '4', '5']);
      });

      it('keeps each chat separate, with ids unique across chats', async () => {
        const { chat } = await setUp();
        const other = await storage.chats.resolve(telegram('2'), { type: 'private' });
        const a1 = await storage.messages.append({ chatId: chat.id, direction: 'in', text: 'a1' });
        const b1 = await storage.messages.append({ chatId: other.id, direction: 'in', text: 'b1' });
        const a2 = await storage.messages.append({ chatId: chat.id, direction: 'out', text: 'a2' });
        expect(a1.id).toBeLessThan(b1.id);
        expect(b1.id).toBeLessThan(a2.id);
        expect((await storage.messages.list(chat.id)).map((message) => message.text)).toEqual([
          'a1',
          'a2',
        ]);
        expect((await storage.messages.list(other.id)).map((message) => message.text)).toEqual([
          'b1',
        ]);
        expect(await storage.messages.list('cht_unknown')).toEqual([]);
      });

      it('meta round-trips as a copy', async () => {
        const { chat } = await setUp();
        const meta = { artifacts: ['a.pdf'], usage: { tokens: 12 } };
        const appended = await storage.messages.append({
          chatId: chat.id,
          direction: 'out',
          text: 'x',
          meta,
        });
        meta.artifacts.push('b.pdf');
        appended.meta!.usage = 0;
        const [listed] = await storage.messages.list(chat.id);
        expect(listed?.meta).toEqual({ artifacts: ['a.pdf'], usage: { tokens: 12 } });
        (listed!.meta!.artifacts as string[]).push('c.pdf');
        expect((await storage.messages.list(chat.id))[0]?.meta).toEqual({
          artifacts: ['a.pdf'],
          usage: { tokens: 12 },
        });
      });

      it('append to an unknown chat throws BOTWIRE_INVALID_ARGUMENT', async () => {
        await expectError(
          () => storage.messages.append({ chatId: 'cht_unknown', direction: 'in', text: 'lost' }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect(await storage.messages.list('cht_unknown')).toEqual([]);
      });
    });

    describe('kv', () => {
      it('get, set, overwrite and delete', async () => {
        expect(await storage.kv.get('test', 'a')).toBeUndefined();
        await storage.kv.set('test', 'a', 1);
        expect(await storage.kv.get('test', 'a')).toBe(1);
        await storage.kv.set('test', 'a', 'two');
        expect(await storage.kv.get('test', 'a')).toBe('two');
        expect(await storage.kv.delete('test', 'a')).toBe(true);
        expect(await storage.kv.get('test', 'a')).toBeUndefined();
        expect(await storage.kv.delete('test', 'a')).toBe(false);
      });

      it('keeps namespaces apart', async () => {
        await storage.kv.set('one', 'key', 1);
        await storage.kv.set('two', 'key', 2);
        expect(await storage.kv.get('one', 'key')).toBe(1);
        expect(await storage.kv.get('two', 'key')).toBe(2);
        expect(await storage.kv.delete('one', 'key')).toBe(true);
        expect(await storage.kv.get('two', 'key')).toBe(2);
        expect(await storage.kv.list('two')).toEqual([{ key: 'key', value: 2 }]);
        expect(await storage.kv.list('one')).toEqual([]);
      });

      it('list orders by key (case-sensitive), with prefix and limit', async () => {
        for (const key of ['b', 'a', 'c', 'ab', 'B', 'a2', 'A1'])
          await storage.kv.set('test', key, key.toUpperCase());
        await storage.kv.set('other', 'a0', 0);
        const keys = async (listOptions?: { prefix?: string; limit?: number }) =>
          (await storage.kv.list('test', listOptions)).map((entry) => entry.key);
        expect(await keys()).toEqual(['A1', 'B', 'a', 'a2', 'ab', 'b', 'c']);
        expect(await keys({ prefix: 'a' })).toEqual(['a', 'a2', 'ab']);
        expect(await keys({ limit: 2 })).toEqual(['A1', 'B']);
        expect(await keys({ prefix: 'a', limit: 2 })).toEqual(['a', 'a2']);
        expect(await keys({ prefix: 'zz' })).toEqual([]);
        expect(await keys({ limit: 0 })).toEqual([]);
        expect(await storage.kv.list('test', { prefix: 'ab' })).toEqual([
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
        for (const key of keys) await storage.kv.set('test', key, true);
        const listed = async (prefix: string) =>
          (await storage.kv.list('test', { prefix })).map((entry) => entry.key);
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
        for (const [key, value] of Object.entries(values)) await storage.kv.set('test', key, value);
        for (const [key, value] of Object.entries(values))
          expect(await storage.kv.get('test', key)).toEqual(value);
        expect(await storage.kv.get('test', 'null')).toBeNull();
        expect((await storage.kv.list('test', { prefix: 'nested' }))[0]?.value).toEqual(
          values.nested,
        );
      });

      it('rejects values that are not JSON, and empty namespaces or keys', async () => {
        await expectError(() => storage.kv.set('test', 'a', undefined), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(() => storage.kv.set('test', 'a', () => 1), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(() => storage.kv.set('test', 'a', 10n), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(() => storage.kv.set('', 'a', 1), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(() => storage.kv.set('test', '', 1), 'BOTWIRE_INVALID_ARGUMENT');
        expect(await storage.kv.list('test')).toEqual([]);
      });

      it('add stores only when the key is absent, once under concurrency', async () => {
        expect(await storage.kv.add('test', 'lock', 'first')).toBe(true);
        expect(await storage.kv.add('test', 'lock', 'second')).toBe(false);
        expect(await storage.kv.get('test', 'lock')).toBe('first');
        await storage.kv.delete('test', 'lock');
        expect(await storage.kv.add('test', 'lock', 'third')).toBe(true);
        expect(await storage.kv.get('test', 'lock')).toBe('third');

        const results = await Promise.all(
          Array.from({ length: 8 }, (_, index) => storage.kv.add('test', 'race', index)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await storage.kv.get('test', 'race')).toBe(results.indexOf(true));
      });

      it('increment counts from 0, returns the new value, and adds any finite amount', async () => {
        expect(await storage.kv.increment('test', 'count')).toBe(1);
        expect(await storage.kv.increment('test', 'count')).toBe(2);
        expect(await storage.kv.increment('test', 'count', 5)).toBe(7);
        expect(await storage.kv.increment('test', 'count', -10)).toBe(-3);
        expect(await storage.kv.increment('test', 'count', 0.5)).toBe(-2.5);
        expect(await storage.kv.get('test', 'count')).toBe(-2.5);
        expect(await storage.kv.increment('test', 'fresh', 3)).toBe(3);
        await storage.kv.set('test', 'set', 40);
        expect(await storage.kv.increment('test', 'set', 2)).toBe(42);
        expect(await storage.kv.increment('other', 'count')).toBe(1);
        expect(await storage.kv.list('test', { prefix: 'c' })).toEqual([
          { key: 'count', value: -2.5 },
        ]);
      });

      it('increment of a value that is not a number, or by a bad amount, throws and changes nothing', async () => {
        for (const value of ['7', null, { count: 1 }, [1], true]) {
          await storage.kv.set('test', 'key', value);
          await expectError(() => storage.kv.increment('test', 'key'), 'BOTWIRE_INVALID_ARGUMENT');
          expect(await storage.kv.get('test', 'key')).toEqual(value);
        }
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
          await expectError(
            () => storage.kv.increment('test', 'count', bad),
            'BOTWIRE_INVALID_ARGUMENT',
          );
        }
        await storage.kv.set('test', 'big', Number.MAX_VALUE);
        await expectError(
          () => storage.kv.increment('test', 'big', Number.MAX_VALUE),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        await expectError(() => storage.kv.increment('', 'key'), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(() => storage.kv.increment('test', ''), 'BOTWIRE_INVALID_ARGUMENT');
        await expectError(
          () => storage.kv.increment('test', 'count', 1, { ttlMs: 0 }),
          'BOTWIRE_INVALID_ARGUMENT',
        );
        expect(await storage.kv.get('test', 'count')).toBeUndefined();
      });

      it('increment is atomic: 200 concurrent increments give 200', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () => storage.kv.increment('test', 'race')),
        );
        expect(await storage.kv.get('test', 'race')).toBe(200);
        expect(new Set(results).size).toBe(200);
        expect(Math.max(...results)).toBe(200);
      });

      it('increment sets the ttl when it creates the key, keeps it after, and restarts once expired', async () => {
        expect(await storage.kv.increment('test', 'short', 1, { ttlMs })).toBe(1);
        expect(await storage.kv.increment('test', 'short', 1, { ttlMs: 60_000 })).toBe(2);
        expect(await storage.kv.increment('test', 'kept', 1, { ttlMs: 60_000 })).toBe(1);
        await sleep(ttlMs + 50);
        expect(await storage.kv.get('test', 'short')).toBeUndefined();
        expect(await storage.kv.increment('test', 'short')).toBe(1);
        expect(await storage.kv.increment('test', 'kept')).toBe(2);
        await storage.kv.set('test', 'stale', 'text', { ttlMs });
        await sleep(ttlMs + 50);
        expect(await storage.kv.increment('test', 'stale', 4)).toBe(4);
        await sleep(ttlMs + 50);
        expect(await storage.kv.get('test', 'short')).toBe(1);
        expect(await storage.kv.get('test', 'stale')).toBe(4);
      });

      it('forgets values after their ttl', async () => {
        await storage.kv.set('test', 'short', 'gone', { ttlMs });
        await storage.kv.set('test', 'long', 'kept', { ttlMs: 60_000 });
        await storage.kv.set('test', 'forever', 'kept');
        expect(await storage.kv.add('test', 'added', 'gone', { ttlMs })).toBe(true);
        expect(await storage.kv.get('test', 'long')).toBe('kept');
        await sleep(ttlMs + 50);
        expect(await storage.kv.add('test', 'short', 'again')).toBe(true);
        expect(await storage.kv.delete('test', 'added')).toBe(false);
        expect(await storage.kv.get('test', 'added')).toBeUndefined();
        expect(await storage.kv.get('test', 'short')).toBe('again');
        expect(await storage.kv.get('test', 'long')).toBe('kept');
        await storage.kv.set('test', 'listed', 'gone', { ttlMs });
        await sleep(ttlMs + 50);
        expect(await storage.kv.list('test')).toEqual([
          { key: 'forever', value: 'kept' },
          { key: 'long', value: 'kept' },
          { key: 'short', value: 'again' },
        ]);
        expect(await storage.kv.get('test', 'listed')).toBeUndefined();
      });

      it('set without a ttl removes an earlier ttl', async () => {
        await storage.kv.set('test', 'key', 1, { ttlMs });
        await storage.kv.set('test', 'key', 2);
        await sleep(ttlMs + 50);
        expect(await storage.kv.get('test', 'key')).toBe(2);
      });

      it('rejects a ttl that is not a positive number', async () => {
        for (const bad of [0, -5, Number.NaN]) {
          await expectError(
            () => storage.kv.set('test', 'key', 1, { ttlMs: bad }),
            'BOTWIRE_INVALID_ARGUMENT',
          );
        }
        expect(await storage.kv.get('test', 'key')).toBeUndefined();
      });

      it('returns copies: changing a returned or passed value changes nothing stored', async () => {
        const value = { list: [1], inner: { flag: true } };
        await storage.kv.set('test', 'key', value);
        value.list.push(2);
        value.inner.flag = false;
        const first = await storage.kv.get<typeof value>('test', 'key');
        expect(first).toEqual({ list: [1], inner: { flag: true } });
        first!.list.push(3);
        const [entry] = await storage.kv.list<typeof value>('test');
        entry!.value.inner.flag = false;
        expect(await storage.kv.get('test', 'key')).toEqual({ list: [1], inner: { flag: true } });
      });
    });
  });
}
