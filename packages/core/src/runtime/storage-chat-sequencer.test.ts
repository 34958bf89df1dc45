import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
