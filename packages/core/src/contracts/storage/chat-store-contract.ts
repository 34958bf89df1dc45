import { describe, expect, it } from 'vitest';
import { idPattern, type StorageContractSubject, telegram } from './contract-helpers';

/** The storage contract for the chat store. */
export function chatStoreContract(subject: StorageContractSubject): void {
  describe('chats', () => {
    it('resolve creates a chat, then finds the same one; get finds it by id', async () => {
      const group = { platform: 'telegram', platformId: '-100' };
      const created = await subject.storage.chats.resolve(group, { type: 'group', title: 'Team' });
      expect(created.id).toMatch(idPattern('cht'));
      expect(created).toMatchObject({ identity: group, type: 'group', title: 'Team' });
      expect(created.createdAt).toBeInstanceOf(Date);
      const found = await subject.storage.chats.resolve(group, { type: 'group' });
      expect(found).toEqual(created);
      expect(await subject.storage.chats.get(created.id)).toEqual(created);
      expect(await subject.storage.chats.get('cht_unknown')).toBeUndefined();
    });

    it('resolve gives different chats for different identities and platforms, and refreshes the title', async () => {
      const first = await subject.storage.chats.resolve(telegram('1'), { type: 'private' });
      const other = await subject.storage.chats.resolve(
        { platform: 'discord', platformId: '1' },
        { type: 'private' },
      );
      const second = await subject.storage.chats.resolve(telegram('2'), {
        type: 'group',
        title: 'Old',
      });
      expect(new Set([first.id, other.id, second.id]).size).toBe(3);
      expect(first.title).toBeUndefined();
      const renamed = await subject.storage.chats.resolve(telegram('2'), {
        type: 'group',
        title: 'New',
      });
      expect(renamed.id).toBe(second.id);
      expect((await subject.storage.chats.get(second.id))?.title).toBe('New');
    });
  });
}
