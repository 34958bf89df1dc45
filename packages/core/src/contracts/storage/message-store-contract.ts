import { describe, expect, it } from 'vitest';
import { expectError, type StorageContractSubject, telegram } from './contract-helpers';

/** The storage contract for the message store. */
export function messageStoreContract(subject: StorageContractSubject): void {
  describe('messages', () => {
    const setUp = async () => {
      const chat = await subject.storage.chats.resolve(telegram('1'), { type: 'private' });
      const user = await subject.storage.users.resolve(telegram('1'));
      return { chat, user };
    };

    it('append stores every field and gives increasing ids', async () => {
      const { chat, user } = await setUp();
      const first = await subject.storage.messages.append({
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
      const second = await subject.storage.messages.append({
        chatId: chat.id,
        direction: 'out',
        text: 'hi',
        at,
      });
      expect(second.id).toBeGreaterThan(first.id);
      expect(second.userId).toBeUndefined();
      expect(second.meta).toBeUndefined();
      expect(second.at.getTime()).toBe(at.getTime());
      expect(await subject.storage.messages.list(chat.id)).toEqual([first, second]);
    });

    it('list returns the newest `limit` messages, oldest first (default 50)', async () => {
      const { chat } = await setUp();
      for (let index = 1; index <= 60; index++) {
        await subject.storage.messages.append({
          chatId: chat.id,
          direction: 'in',
          text: String(index),
        });
      }
      const texts = async (listOptions?: { limit?: number; beforeId?: number }) =>
        (await subject.storage.messages.list(chat.id, listOptions)).map((message) => message.text);
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
            await subject.storage.messages.append({
              chatId: chat.id,
              direction: 'in',
              text: String(index),
            })
          ).id,
        );
      }
      const page = await subject.storage.messages.list(chat.id, { limit: 2, beforeId: ids[3] });
      expect(page.map((message) => message.text)).toEqual(['2', '3']);

      const seen: string[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const batch = await subject.storage.messages.list(chat.id, {
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
      const other = await subject.storage.chats.resolve(telegram('2'), { type: 'private' });
      const a1 = await subject.storage.messages.append({
        chatId: chat.id,
        direction: 'in',
        text: 'a1',
      });
      const b1 = await subject.storage.messages.append({
        chatId: other.id,
        direction: 'in',
        text: 'b1',
      });
      const a2 = await subject.storage.messages.append({
        chatId: chat.id,
        direction: 'out',
        text: 'a2',
      });
      expect(a1.id).toBeLessThan(b1.id);
      expect(b1.id).toBeLessThan(a2.id);
      expect((await subject.storage.messages.list(chat.id)).map((message) => message.text)).toEqual(
        ['a1', 'a2'],
      );
      expect(
        (await subject.storage.messages.list(other.id)).map((message) => message.text),
      ).toEqual(['b1']);
      expect(await subject.storage.messages.list('cht_unknown')).toEqual([]);
    });

    it('meta round-trips as a copy', async () => {
      const { chat } = await setUp();
      const meta = { artifacts: ['a.pdf'], usage: { tokens: 12 } };
      const appended = await subject.storage.messages.append({
        chatId: chat.id,
        direction: 'out',
        text: 'x',
        meta,
      });
      meta.artifacts.push('b.pdf');
      appended.meta!.usage = 0;
      const [listed] = await subject.storage.messages.list(chat.id);
      expect(listed?.meta).toEqual({ artifacts: ['a.pdf'], usage: { tokens: 12 } });
      (listed!.meta!.artifacts as string[]).push('c.pdf');
      expect((await subject.storage.messages.list(chat.id))[0]?.meta).toEqual({
        artifacts: ['a.pdf'],
        usage: { tokens: 12 },
      });
    });

    it('append to an unknown chat throws BOTWIRE_INVALID_ARGUMENT', async () => {
      await expectError(
        () =>
          subject.storage.messages.append({ chatId: 'cht_unknown', direction: 'in', text: 'lost' }),
        'BOTWIRE_INVALID_ARGUMENT',
      );
      expect(await subject.storage.messages.list('cht_unknown')).toEqual([]);
    });
  });
}
