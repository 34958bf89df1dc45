import { describe, expect, it } from 'vitest';
import { expectError, type StorageContractSubject, telegram } from './contract-helpers';

/** The storage contract for open, close and copies. */
export function lifecycleContract(subject: StorageContractSubject): void {
  describe('lifecycle', () => {
    it('open() twice is harmless and keeps the data', async () => {
      await subject.storage.kv.set('test', 'kept', 1);
      await subject.storage.open();
      expect(await subject.storage.kv.get('test', 'kept')).toBe(1);
    });

    it('fails with BOTWIRE_STORAGE_CLOSED after close(), and close() twice is harmless', async () => {
      const user = await subject.storage.users.resolve(telegram('1'));
      const chat = await subject.storage.chats.resolve(telegram('1'), { type: 'private' });
      await subject.storage.close();
      await subject.storage.close();
      await expectError(
        () => subject.storage.users.resolve(telegram('1')),
        'BOTWIRE_STORAGE_CLOSED',
      );
      await expectError(() => subject.storage.users.get(user.id), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(
        () => subject.storage.users.update(user.id, { role: 'admin' }),
        'BOTWIRE_STORAGE_CLOSED',
      );
      await expectError(() => subject.storage.users.list(), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.chats.get(chat.id), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(
        () => subject.storage.messages.append({ chatId: chat.id, direction: 'in', text: 'late' }),
        'BOTWIRE_STORAGE_CLOSED',
      );
      await expectError(() => subject.storage.messages.list(chat.id), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.kv.get('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.kv.set('test', 'a', 1), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.kv.add('test', 'a', 1), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.kv.delete('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => subject.storage.kv.list('test'), 'BOTWIRE_STORAGE_CLOSED');
    });

    it('ping(), when the driver has it, gives a latency while open and fails after close()', async () => {
      const { storage } = subject;
      if (!storage.ping) return;
      const latency = await storage.ping();
      expect(Number.isFinite(latency) && latency >= 0).toBe(true);
      await storage.close();
      await expectError(() => storage.ping!(), 'BOTWIRE_STORAGE_CLOSED');
    });

    it('fails with BOTWIRE_STORAGE_CLOSED before open()', async () => {
      const unopened = await subject.create();
      await expectError(() => unopened.kv.get('test', 'a'), 'BOTWIRE_STORAGE_CLOSED');
      await expectError(() => unopened.users.resolve(telegram('1')), 'BOTWIRE_STORAGE_CLOSED');
    });
  });
}
