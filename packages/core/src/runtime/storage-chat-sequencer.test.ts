import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runChatSequencerContract } from '../contracts/chat-sequencer-contract';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { storageChatSequencer } from './storage-chat-sequencer';

const options = { staleCheckMs: 50 };

runChatSequencerContract('storage (memory)', async () => {
  const storage = memoryStorage();
  await storage.open();
  return {
    first: storageChatSequencer(storage.kv, options),
    second: storageChatSequencer(storage.kv, options),
    close: () => storage.close(),
  };
});

// Two connections to one file, as two processes on one host have.
runChatSequencerContract('storage (one sqlite file, two connections)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'botwire-sequencer-'));
  const path = join(directory, 'bot.db');
  const one = sqliteStorage({ path });
  const two = sqliteStorage({ path });
  await one.open();
  await two.open();
  return {
    first: storageChatSequencer(one.kv, options),
    second: storageChatSequencer(two.kv, options),
    close: async () => {
      await one.close();
      await two.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('storageChatSequencer on SQLite with flush', () => {
  it('has an answer note in the file in the step it is called, before the note resolves', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'botwire-sequencer-'));
    const path = join(directory, 'bot.db');
    const storage = sqliteStorage({ path });
    await storage.open();
    const reader = new Database(path, { readonly: true });
    const notes = () =>
      (
        reader.prepare("SELECT count(*) AS n FROM kv WHERE key LIKE 'chat-answered:%'").get() as {
          n: number;
        }
      ).n;
    try {
      const flushed = storageChatSequencer(storage.kv, { flush: () => storage.flush?.() });
      const grouped = storageChatSequencer(storage.kv);
      const first = flushed.answered('chat-1', 1);
      // Read from another connection in the same step, as a process started after a kill would.
      expect(notes()).toBe(1);
      await first;
      const second = grouped.answered('chat-1', 2);
      // Without flush the note waits for the group commit at the end of this turn.
      expect(notes()).toBe(1);
      await second;
      expect(notes()).toBe(2);
      expect(await flushed.wasAnswered('chat-1', 2)).toBe(true);
    } finally {
      reader.close();
      await storage.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
