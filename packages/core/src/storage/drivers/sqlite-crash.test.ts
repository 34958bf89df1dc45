import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteStorage } from './sqlite';

const writerScript = fileURLToPath(new URL('./fixtures/sqlite-writer.ts', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = 300;
const waitMs = 20_000;

describe('sqliteStorage after a crash', () => {
  let child: ChildProcess | undefined;
  let directory: string | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  // One writer: each write is its own group commit. Twenty: writes share group commits.
  it.each([
    { writers: 1, synchronous: 'full' },
    { writers: 20, synchronous: 'full' },
    { writers: 20, synchronous: 'normal' },
  ])(
    'keeps every acknowledged write when the writing process is killed ($writers writers, synchronous $synchronous)',
    {
      timeout: 40_000,
    },
    async ({ writers, synchronous }) => {
      directory = mkdtempSync(join(tmpdir(), 'botwire-crash-'));
      const path = join(directory, 'crash.db');
      const writer = spawn(
        process.execPath,
        ['--import', 'tsx', writerScript, path, synchronous, String(writers)],
        { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = writer;

      const acknowledgedSet = new Set<number>();
      let acknowledged = -1;
      let pending = '';
      let errors = '';
      writer.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        errors += chunk;
      });
      writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const index = Number(line);
          if (!Number.isInteger(index) || acknowledgedSet.has(index))
            throw new Error(`The writer printed ${line} twice or garbled.`);
          acknowledgedSet.add(index);
          acknowledged = acknowledgedSet.size - 1;
        }
      });

      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `Only ${acknowledged + 1} writes in ${waitMs} ms. Writer stderr:\n${errors}`,
              ),
            ),
          waitMs,
        );
        const check = () => {
          if (acknowledged + 1 < wanted) return;
          clearTimeout(timer);
          resolve();
        };
        writer.stdout.on('data', check);
        writer.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`The writer exited early with code ${code}. Writer stderr:\n${errors}`));
        });
      });

      writer.kill('SIGKILL');
      const [code, signal] = (await once(writer, 'close')) as [
        number | null,
        NodeJS.Signals | null,
      ];
      expect({ code, signal }, 'the writer was still running when it was killed').toEqual({
        code: null,
        signal: 'SIGKILL',
      });
      expect(acknowledged + 1).toBeGreaterThanOrEqual(wanted);

      const storage = sqliteStorage({ path });
      await storage.open();
      try {
        const entries = await storage.kv.list<{ index: number }>('crash');
        const stored = new Set(entries.map((entry) => entry.value.index));
        const chat = await storage.chats.resolve(
          { platform: 'crash', platformId: '1' },
          { type: 'private' },
        );
        const messages = await storage.messages.list(chat.id, {
          limit: acknowledged + writers + 10,
        });
        const texts = new Set(messages.map((message) => message.text));
        const missing: number[] = [];
        for (const index of acknowledgedSet) {
          if (!stored.has(index) || !texts.has(String(index))) missing.push(index);
        }
        const lostKeys = missing.filter((index) => !stored.has(index));
        const lostMessages = missing.filter((index) => !texts.has(String(index)));
        expect(
          missing,
          `acknowledged writes lost in the crash: ${lostKeys.length} key-value entries, ${lostMessages.length} messages (of ${entries.length} entries and ${messages.length} messages read, ${acknowledgedSet.size} acknowledged)`,
        ).toEqual([]);
        // At most the writes in flight when the process died (one per writer) may be there
        // unacknowledged.
        expect(entries.length - acknowledgedSet.size).toBeLessThanOrEqual(writers);
        expect(messages.length - acknowledgedSet.size).toBeLessThanOrEqual(writers);
        const last = Math.max(...acknowledgedSet);
        expect(await storage.kv.get('crash', `k${last}`)).toMatchObject({ index: last });
      } finally {
        await storage.close();
      }

      const database = new Database(path, { readonly: true });
      try {
        expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(database.pragma('foreign_key_check')).toEqual([]);
      } finally {
        database.close();
      }
    },
  );
});
