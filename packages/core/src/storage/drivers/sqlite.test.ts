import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStorageContract } from '../../contracts/storage-contract';
import { sqliteStorage } from './sqlite';
import { sqliteMigrations } from './sqlite-schema';

const directories: string[] = [];
const freshPath = () => {
  const directory = mkdtempSync(join(tmpdir(), 'botwire-sqlite-'));
  directories.push(directory);
  return join(directory, 'nested', 'bot.db');
};
const removeDirectories = () => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
};

runStorageContract('sqlite', () => sqliteStorage({ path: freshPath() }), {
  cleanup: removeDirectories,
});

describe('sqliteStorage', () => {
  let path: string;
  const opened: Array<{ close(): Promise<void> | unknown }> = [];
  const open = async (options: { synchronous?: 'full' | 'normal' } = {}) => {
    const storage = sqliteStorage({ path, ...options });
    opened.push(storage);
    await storage.open();
    return storage;
  };
  const raw = () => {
    const database = new Database(path, { readonly: true });
    opened.push(database);
    return database;
  };

  beforeEach(() => {
    path = freshPath();
  });

  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    removeDirectories();
  });

  it('keeps the data across close and reopen', async () => {
    const first = await open();
    const user = await first.users.resolve(
      { platform: 'telegram', platformId: '1' },
      { name: 'Ann' },
    );
    await first.users.update(user.id, { role: 'owner', data: { onboarded: true } });
    const chat = await first.chats.resolve(
      { platform: 'telegram', platformId: '1' },
      { type: 'private' },
    );
    const message = await first.messages.append({
      chatId: chat.id,
      userId: user.id,
      direction: 'in',
      text: 'hi',
    });
    await first.kv.set('test', 'key', { nested: [1] });
    await first.close();

    const second = await open();
    expect(await second.users.get(user.id)).toMatchObject({
      name: 'Ann',
      role: 'owner',
      data: { onboarded: true },
    });
    expect(await second.chats.get(chat.id)).toMatchObject({ type: 'private' });
    expect(await second.messages.list(chat.id)).toEqual([message]);
    expect(await second.kv.get('test', 'key')).toEqual({ nested: [1] });
    const next = await second.messages.append({ chatId: chat.id, direction: 'out', text: 'hello' });
    expect(next.id).toBeGreaterThan(message.id);
  });

  it('close() releases the file: the WAL is checkpointed and removed', async () => {
    const storage = await open();
    await storage.kv.set('test', 'key', 1);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await storage.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('can be reopened after close() on the same instance', async () => {
    const storage = await open();
    await storage.kv.set('test', 'key', 1);
    await storage.close();
    await storage.open();
    expect(await storage.kv.get('test', 'key')).toBe(1);
  });

  it('uses the WAL journal, the chosen synchronous level, a busy timeout and foreign keys', async () => {
    const connections: Database.Database[] = [];
    class Capturing extends Database {
      constructor(...args: ConstructorParameters<typeof Database>) {
        super(...args);
        connections.push(this);
      }
    }
    for (const [synchronous, level] of [
      ['full', 2],
      ['normal', 1],
    ] as const) {
      const storage = sqliteStorage({
        path,
        synchronous,
        Database: Capturing as unknown as typeof Database,
      });
      opened.push(storage);
      await storage.open();
      const connection = connections.at(-1)!;
      expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(connection.pragma('synchronous', { simple: true })).toBe(level);
      expect(connection.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(connection.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    }
    expect(raw().pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('records the schema version in user_version and does not migrate twice', async () => {
    const storage = await open();
    await storage.close();
    const database = raw();
    const version = database.pragma('user_version', { simple: true });
    expect(version).toBeGreaterThanOrEqual(1);
    const tables = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['chats', 'kv', 'messages', 'user_identities', 'users']),
    );
    const reopened = await open();
    await reopened.kv.set('test', 'key', 1);
    expect(raw().pragma('user_version', { simple: true })).toBe(version);
  });

  it('refuses a database from a newer schema version', async () => {
    const storage = await open();
    await storage.close();
    const database = new Database(path);
    database.pragma('user_version = 999');
    database.close();
    await expect(sqliteStorage({ path }).open()).rejects.toMatchObject({
      code: 'BOTWIRE_STORAGE_FAILED',
      message: expect.stringContaining('999'),
    });
  });

  it('upgrades a database of schema version 1 to the premium role, keeping every row', async () => {
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.exec(sqliteMigrations[0]!);
    old.pragma('user_version = 1');
    old.exec(`INSERT INTO users (id, name, role, created_at, updated_at) VALUES ('u1', 'Ann', 'admin', 1, 1);
      INSERT INTO user_identities (platform, platform_id, user_id) VALUES ('telegram', '42', 'u1');
      INSERT INTO chats (id, platform, platform_id, type, created_at) VALUES ('c1', 'telegram', '42', 'private', 1);
      INSERT INTO messages (chat_id, user_id, direction, text, at) VALUES ('c1', 'u1', 'in', 'hi', 1);`);
    expect(() => old.exec("UPDATE users SET role = 'premium'")).toThrow(/CHECK/);
    old.close();

    const storage = await open();
    const user = await storage.users.findByIdentity({ platform: 'telegram', platformId: '42' });
    expect(user).toMatchObject({ id: 'u1', name: 'Ann', role: 'admin' });
    expect((await storage.messages.list('c1')).map((message) => message.text)).toEqual(['hi']);
    expect((await storage.users.update('u1', { role: 'premium' })).role).toBe('premium');
    expect((await storage.users.list({ role: 'premium' })).map((each) => each.id)).toEqual(['u1']);
    await storage.close();
    const database = raw();
    expect(database.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
    expect(database.pragma('foreign_key_check')).toEqual([]);
    // Identities still point at users: the rebuilt table kept the foreign key's target.
    const writable = new Database(path);
    opened.push(writable);
    writable.pragma('foreign_keys = ON');
    expect(() =>
      writable.exec(
        "INSERT INTO user_identities (platform, platform_id, user_id) VALUES ('telegram', '7', 'nobody')",
      ),
    ).toThrow(/FOREIGN KEY/);
  });

  describe('group commit', () => {
    /** A better-sqlite3 that counts the commits of the group commit. */
    const counting = () => {
      const counter = { commits: 0 };
      class CountingDatabase extends Database {
        override exec(source: string) {
          if (source === 'COMMIT') counter.commits += 1;
          return super.exec(source);
        }
      }
      return { counter, Database: CountingDatabase as unknown as typeof Database };
    };

    it('commits the writes of one turn once, and resolves each only after that', async () => {
      const { counter, Database: CountingDatabase } = counting();
      const storage = sqliteStorage({ path, Database: CountingDatabase });
      opened.push(storage);
      await storage.open();
      const chat = await storage.chats.resolve(
        { platform: 'test', platformId: '1' },
        { type: 'private' },
      );
      const before = counter.commits;
      const writes = Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0
          ? storage.kv.set('test', `k${index}`, index)
          : storage.messages.append({ chatId: chat.id, direction: 'in', text: `m${index}` }),
      );
      expect(counter.commits, 'nothing is committed before the turn ends').toBe(before);
      await Promise.all(writes);
      expect(counter.commits - before).toBe(1);
      // Another connection sees all of them: they were committed before the promises resolved.
      expect(raw().prepare('SELECT count(*) FROM kv WHERE namespace = ?').pluck().get('test')).toBe(
        25,
      );
    });

    it('lets a read see the writes queued before it', async () => {
      const storage = await open();
      const written = storage.kv.set('test', 'key', 'new');
      const incremented = storage.kv.increment('test', 'count');
      expect(await storage.kv.get('test', 'key')).toBe('new');
      expect(await storage.kv.get('test', 'count')).toBe(1);
      await Promise.all([written, incremented]);
    });

    it('answers a read of another table at once, without waiting for the group commit', async () => {
      const { counter, Database: CountingDatabase } = counting();
      const storage = sqliteStorage({ path, Database: CountingDatabase });
      opened.push(storage);
      await storage.open();
      const identity = { platform: 'test', platformId: 'ann' };
      const user = await storage.users.resolve(identity, { name: 'Ann' });
      const before = counter.commits;
      const written = storage.kv.set('test', 'key', 'new');
      const found = await storage.users.findByIdentity(identity);
      expect(found?.id).toBe(user.id);
      expect(counter.commits, 'the read did not wait for the kv write').toBe(before);
      const renamed = storage.users.update(user.id, { name: 'Anna' });
      expect((await storage.users.get(user.id))?.name, 'a read of users waits for users').toBe(
        'Anna',
      );
      await Promise.all([written, renamed]);
    });

    it('rejects only the write that failed, and commits the others of its group', async () => {
      const storage = await open();
      const results = await Promise.allSettled([
        storage.kv.set('test', 'before', 1),
        storage.messages.append({ chatId: 'cht_missing', direction: 'in', text: 'lost' }),
        storage.kv.set('test', 'after', 2),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        code: 'BOTWIRE_INVALID_ARGUMENT',
      });
      expect(await storage.kv.get('test', 'before')).toBe(1);
      expect(await storage.kv.get('test', 'after')).toBe(2);
    });

    it('flush() commits at once and leaves the WAL checkpoint to the next group commit', async () => {
      const storage = await open();
      const page = 'x'.repeat(100_000);
      const count = raw().prepare('SELECT count(*) FROM kv WHERE namespace = ?').pluck();
      // 60 × 100 kB is about 1,500 WAL pages, past SQLite's automatic checkpoint (1,000 pages):
      // a checkpoint would copy them into the database file.
      for (let index = 0; index < 60; index++) {
        const written = storage.kv.set('test', `k${index}`, page);
        storage.flush?.();
        expect(count.get('test'), 'committed in the same step').toBe(index + 1);
        await written;
      }
      expect(statSync(path).size, 'no checkpoint yet').toBeLessThan(1_000_000);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(6_000_000);
      await storage.kv.set('test', 'last', 1);
      expect(statSync(path).size, 'the group commit checkpointed').toBeGreaterThan(6_000_000);
      expect(await storage.kv.get('test', 'k59')).toBe(page);
    });

    it('commits what is queued when the storage is closed', async () => {
      const storage = await open();
      const written = storage.kv.set('test', 'key', 'kept');
      await storage.close();
      await written;
      const again = await open();
      expect(await again.kv.get('test', 'key')).toBe('kept');
    });
  });

  it('lets two instances on one file see each other’s writes, and resolve one user', async () => {
    const first = await open();
    const second = await open();
    const identity = { platform: 'telegram', platformId: '42' };
    const fromFirst = await first.users.resolve(identity);
    const fromSecond = await second.users.resolve(identity);
    expect(fromSecond.id).toBe(fromFirst.id);
    await first.kv.set('test', 'key', 'from first');
    expect(await second.kv.get('test', 'key')).toBe('from first');
    expect(await second.kv.add('test', 'key', 'from second')).toBe(false);
    await second.users.update(fromFirst.id, { role: 'admin' });
    expect((await first.users.get(fromFirst.id))?.role).toBe('admin');
  });

  it('counts every increment of two instances on one file', async () => {
    const first = await open();
    const second = await open();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        (index % 2 === 0 ? first : second).kv.increment('test', 'shared', 1, { ttlMs: 60_000 }),
      ),
    );
    expect(new Set(results).size).toBe(200);
    expect(await first.kv.get('test', 'shared')).toBe(200);
    expect(await second.kv.increment('test', 'shared', 0)).toBe(200);
  });

  it('counts every increment of two processes on one file', { timeout: 30_000 }, async () => {
    const script = fileURLToPath(new URL('./fixtures/sqlite-incrementer.ts', import.meta.url));
    const startAt = String(Date.now() + 3_000);
    const run = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, path, '1000', startAt], {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      const [code] = (await once(child, 'close')) as [number | null];
      expect({ code, output }).toEqual({ code: 0, output: 'done\n' });
    };
    await (await open()).close(); // create the file and its schema before the race
    await Promise.all([run(), run()]);
    expect(await (await open()).kv.get('race', 'count')).toBe(2000);
  });

  it('stores expired kv rows until they are touched, then removes them', async () => {
    const storage = await open();
    await storage.kv.set('test', 'key', 1, { ttlMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const count = () => raw().prepare('SELECT count(*) FROM kv').pluck().get();
    expect(count()).toBe(1);
    expect(await storage.kv.get('test', 'key')).toBeUndefined();
    expect(count()).toBe(0);
  });

  it('uses a Database constructor passed in', async () => {
    let made = 0;
    class Counting extends Database {
      constructor(...args: ConstructorParameters<typeof Database>) {
        super(...args);
        made++;
      }
    }
    const storage = sqliteStorage({ path, Database: Counting as unknown as typeof Database });
    opened.push(storage);
    await storage.open();
    await storage.open();
    expect(made).toBe(1);
  });

  it('rejects bad options when created', () => {
    expect(() => sqliteStorage({ path: '' })).toThrow(
      expect.objectContaining({ code: 'BOTWIRE_INVALID_ARGUMENT' }),
    );
    expect(() => sqliteStorage({ path, synchronous: 'off' as 'full' })).toThrow(
      expect.objectContaining({ code: 'BOTWIRE_INVALID_ARGUMENT' }),
    );
  });
});
