import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStorage, sqliteStorage } from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatHistory } from './chat-history';

const day = 86_400_000;
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('ChatHistory', () => {
  it('keeps a chat across a new instance on the same SQLite file, with the same epoch', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'botwire-web-history-'));
    folders.push(folder);
    const path = join(folder, 'bot.db');

    const first = sqliteStorage({ path });
    await first.open();
    const before = new ChatHistory(scopeKeyValueStore(first.kv, 'adapter:web'), {
      size: 100,
      ttlMs: 30 * day,
    });
    const epoch = await before.epoch();
    await before.append('owner', { from: 'user', text: 'hello', clientId: 'c1' });
    await before.append('owner', { from: 'bot', text: '**hi**', format: 'markdown' });
    await before.append('invitation:inv_1', { from: 'user', text: 'someone else' });
    await first.close();

    const second = sqliteStorage({ path });
    await second.open();
    const after = new ChatHistory(scopeKeyValueStore(second.kv, 'adapter:web'), {
      size: 100,
      ttlMs: 30 * day,
    });
    expect(await after.epoch()).toBe(epoch);
    const kept = await after.since('owner', 0);
    expect(kept.map(({ seq, from, text }) => ({ seq, from, text }))).toEqual([
      { seq: 1, from: 'user', text: 'hello' },
      { seq: 2, from: 'bot', text: '**hi**' },
    ]);
    expect(kept[1]?.format).toBe('markdown');
    // Numbering goes on where it stopped, so a page's `since` still means the same messages.
    const next = await after.append('owner', { from: 'user', text: 'again' });
    expect(next.seq).toBe(3);
    expect((await after.since('owner', 2)).map((event) => event.text)).toEqual(['again']);
    await second.close();
  });

  it('keeps only the newest `size` messages of a chat, and chats apart', async () => {
    const storage = memoryStorage();
    await storage.open();
    const history = new ChatHistory(scopeKeyValueStore(storage.kv, 'adapter:web'), {
      size: 3,
      ttlMs: day,
    });
    for (let index = 1; index <= 7; index += 1)
      await history.append('api:a', { from: 'user', text: `m${index}` });
    // `api:a:b` starts like `api:a`: its messages must not show in `api:a`.
    await history.append('api:a:b', { from: 'user', text: 'other chat' });
    expect((await history.since('api:a', 0)).map((event) => event.text)).toEqual([
      'm5',
      'm6',
      'm7',
    ]);
    expect((await history.since('api:a:b', 0)).map((event) => event.text)).toEqual(['other chat']);
    const stored = await storage.kv.list('adapter:web', { prefix: 'history:' });
    expect(stored).toHaveLength(4);

    // A smaller window than before: the surplus is trimmed on the next read.
    const smaller = new ChatHistory(scopeKeyValueStore(storage.kv, 'adapter:web'), {
      size: 2,
      ttlMs: day,
    });
    expect((await smaller.since('api:a', 0)).map((event) => event.text)).toEqual(['m6', 'm7']);
    expect(await storage.kv.list('adapter:web', { prefix: 'history:' })).toHaveLength(3);
    await storage.close();
  });

  it('forgets messages after their time to live', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const storage = memoryStorage({ now: () => now });
    await storage.open();
    const history = new ChatHistory(scopeKeyValueStore(storage.kv, 'adapter:web'), {
      size: 100,
      ttlMs: 30 * day,
    });
    await history.append('owner', { from: 'user', text: 'old' });
    now += 20 * day;
    await history.append('owner', { from: 'user', text: 'newer' });
    now += 11 * day;
    expect((await history.since('owner', 0)).map((event) => event.text)).toEqual(['newer']);
    now += 20 * day;
    expect(await history.since('owner', 0)).toEqual([]);
    await storage.close();
  });
});
