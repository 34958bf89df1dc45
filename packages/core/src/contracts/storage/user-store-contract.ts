import { describe, expect, it } from 'vitest';
import type { Identity, StorageDriver } from '../../ports/storage';
import { expectError, idPattern, type StorageContractSubject, telegram } from './contract-helpers';

/** The storage contract for the user store. */
export function userStoreContract(subject: StorageContractSubject): void {
  describe('users', () => {
    it('resolve creates a user, then finds the same one', async () => {
      const created = await subject.storage.users.resolve(telegram('1'), {
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

      const found = await subject.storage.users.resolve(telegram('1'));
      expect(found.id).toBe(created.id);
      expect(found.name).toBe('Ann');
      expect(found.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(await subject.storage.users.get(created.id)).toEqual(found);
      expect(await subject.storage.users.findByIdentity(telegram('1'))).toEqual(found);
      expect(await subject.storage.users.list()).toHaveLength(1);
    });

    it('resolve refreshes only the profile fields it is given', async () => {
      const created = await subject.storage.users.resolve(telegram('1'), {
        name: 'Ann',
        username: 'ann',
        locale: 'en',
      });
      const refreshed = await subject.storage.users.resolve(telegram('1'), {
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
      expect(await subject.storage.users.get(created.id)).toMatchObject({
        name: 'Anna',
        username: 'ann',
        locale: 'ru',
      });
    });

    it('resolve gives different users for different identities and platforms', async () => {
      const first = await subject.storage.users.resolve(telegram('1'));
      const second = await subject.storage.users.resolve(telegram('2'));
      const other = await subject.storage.users.resolve({ platform: 'discord', platformId: '1' });
      expect(new Set([first.id, second.id, other.id]).size).toBe(3);
      expect(
        (await subject.storage.users.findByIdentity({ platform: 'discord', platformId: '1' }))?.id,
      ).toBe(other.id);
      expect((await subject.storage.users.findByIdentity(telegram('2')))?.id).toBe(second.id);
      expect(await subject.storage.users.findByIdentity(telegram('3'))).toBeUndefined();
      expect(await subject.storage.users.get('usr_unknown')).toBeUndefined();
    });

    it('concurrent resolves of one identity give one user', async () => {
      const users = await Promise.all(
        Array.from({ length: 5 }, () => subject.storage.users.resolve(telegram('7'))),
      );
      expect(new Set(users.map((user) => user.id)).size).toBe(1);
      expect(await subject.storage.users.list()).toHaveLength(1);
    });

    it('ids are prefixed, unique and stable', async () => {
      const users = [];
      for (let index = 0; index < 20; index++)
        users.push(await subject.storage.users.resolve(telegram(String(index))));
      const ids = users.map((user) => user.id);
      expect(new Set(ids).size).toBe(20);
      for (const id of ids) expect(id).toMatch(idPattern('usr'));
      for (const user of users)
        expect((await subject.storage.users.resolve(user.identities[0]!)).id).toBe(user.id);
    });

    it('update sets a role, clears it with null, and replaces data', async () => {
      const user = await subject.storage.users.resolve(telegram('1'), { name: 'Ann' });
      const admin = await subject.storage.users.update(user.id, { role: 'admin' });
      expect(admin.role).toBe('admin');
      expect((await subject.storage.users.get(user.id))?.role).toBe('admin');

      const withData = await subject.storage.users.update(user.id, {
        data: { timezone: 'UTC', seen: { count: 2 } },
      });
      expect(withData).toMatchObject({
        role: 'admin',
        name: 'Ann',
        data: { timezone: 'UTC', seen: { count: 2 } },
      });

      const cleared = await subject.storage.users.update(user.id, { role: null, name: 'Anna' });
      expect(cleared.role).toBeUndefined();
      expect(cleared.name).toBe('Anna');
      expect(cleared.data).toEqual({ timezone: 'UTC', seen: { count: 2 } });

      await subject.storage.users.update(user.id, { data: { onboarded: true } });
      const stored = await subject.storage.users.get(user.id);
      expect(stored?.role).toBeUndefined();
      expect(stored?.data).toEqual({ onboarded: true });
      expect(stored?.createdAt.getTime()).toBe(user.createdAt.getTime());
    });

    it('update of an unknown id or with an unknown role throws BOTWIRE_INVALID_ARGUMENT', async () => {
      await expectError(
        () => subject.storage.users.update('usr_unknown', { role: 'admin' }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      const user = await subject.storage.users.resolve(telegram('1'));
      await expectError(
        () => subject.storage.users.update(user.id, { role: 'king' as unknown as 'admin' }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect((await subject.storage.users.get(user.id))?.role).toBeUndefined();
    });

    it('link adds an identity, and the user is found by either', async () => {
      const user = await subject.storage.users.resolve(telegram('1'));
      const discord = { platform: 'discord', platformId: '900' };
      const linked = await subject.storage.users.link(user.id, discord);
      expect(linked.id).toBe(user.id);
      expect(linked.identities).toEqual([telegram('1'), discord]);
      expect((await subject.storage.users.findByIdentity(discord))?.id).toBe(user.id);
      expect((await subject.storage.users.findByIdentity(telegram('1')))?.identities).toEqual([
        telegram('1'),
        discord,
      ]);
      expect((await subject.storage.users.resolve(discord)).id).toBe(user.id);
      expect(await subject.storage.users.list()).toHaveLength(1);
    });

    it("link of an identity already linked is a no-op; another user's identity throws", async () => {
      const first = await subject.storage.users.resolve(telegram('1'));
      const second = await subject.storage.users.resolve(telegram('2'));
      expect((await subject.storage.users.link(first.id, telegram('1'))).identities).toEqual([
        telegram('1'),
      ]);
      await expectError(
        () => subject.storage.users.link(first.id, telegram('2')),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await expectError(
        () => subject.storage.users.link('usr_unknown', telegram('3')),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect((await subject.storage.users.findByIdentity(telegram('2')))?.id).toBe(second.id);
      expect(await subject.storage.users.findByIdentity(telegram('3'))).toBeUndefined();
    });

    it('list returns users in creation order, with role filter, limit and offset', async () => {
      const ids: string[] = [];
      for (const platformId of ['a', 'b', 'c', 'd'])
        ids.push((await subject.storage.users.resolve(telegram(platformId))).id);
      const [a, b, c, d] = ids;
      await subject.storage.users.update(c!, { role: 'admin' });
      await subject.storage.users.update(a!, { role: 'admin' });
      await subject.storage.users.update(d!, { role: 'user' });
      const listed = async (listOptions?: Parameters<StorageDriver['users']['list']>[0]) =>
        (await subject.storage.users.list(listOptions)).map((user) => user.id);
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
      const user = await subject.storage.users.resolve(telegram('1'));
      const data = { list: [1] };
      const updated = await subject.storage.users.update(user.id, { data });
      data.list.push(2);
      updated.data.fromUpdate = true;
      user.identities.push(telegram('2'));
      const got = await subject.storage.users.get(user.id);
      got!.identities.push(telegram('3'));
      got!.name = 'changed';
      (got!.data.list as number[]).push(3);
      const found = await subject.storage.users.findByIdentity(telegram('1'));
      found!.identities.pop();
      const [listed] = await subject.storage.users.list();
      listed!.data.listed = true;
      const stored = await subject.storage.users.get(user.id);
      expect(stored?.identities).toEqual([telegram('1')]);
      expect(stored?.name).toBeUndefined();
      expect(stored?.data).toEqual({ list: [1] });
    });

    it('rejects an identity without platform or platformId', async () => {
      await expectError(
        () => subject.storage.users.resolve({ platform: '', platformId: '1' }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      await expectError(
        () => subject.storage.users.resolve({ platform: 'telegram' } as Identity),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect(await subject.storage.users.list()).toEqual([]);
    });
  });
}
