/**
 * Storage throughput: kv.set, kv.get, messages.append and users.resolve (of an existing user)
 * per second, for sqlite (synchronous full and normal) and memory. Prints figures, asserts nothing.
 *
 * Run: pnpm exec tsx bench/storage.bench.ts
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageDriver } from '../packages/core/src/ports/storage';
import { memoryStorage } from '../packages/core/src/storage/drivers/memory';
import { sqliteStorage } from '../packages/core/src/storage/drivers/sqlite';

/** Each measurement stops at this many operations or this many milliseconds, whichever is first. */
const maxOperations = 20_000;
const maxMs = 2_000;
const userCount = 100;
const keyCount = 1_000;

interface Row {
  driver: string;
  kvSet: number;
  kvGet: number;
  append: number;
  resolve: number;
  fileBytes?: number;
}

async function measure(run: (index: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let done = 0;
  while (done < maxOperations && performance.now() - started < maxMs) {
    await run(done);
    done++;
  }
  return done / ((performance.now() - started) / 1000);
}

async function bench(driver: string, storage: StorageDriver, path?: string): Promise<Row> {
  await storage.open();
  const identities = Array.from({ length: userCount }, (_, index) => ({
    platform: 'bench',
    platformId: String(index),
  }));
  for (const identity of identities)
    await storage.users.resolve(identity, { name: `User ${identity.platformId}` });
  const chat = await storage.chats.resolve(
    { platform: 'bench', platformId: 'chat' },
    { type: 'group' },
  );
  const value = { count: 1, tags: ['a', 'b'], text: 'x'.repeat(100) };

  const kvSet = await measure((index) =>
    storage.kv.set('bench', `key${index % keyCount}`, { ...value, index }),
  );
  const kvGet = await measure((index) =>
    storage.kv.get('bench', `key${(index * 7919) % keyCount}`),
  );
  const append = await measure((index) =>
    storage.messages.append({
      chatId: chat.id,
      direction: 'in',
      text: `message ${index}`,
      meta: { index },
    }),
  );
  const resolve = await measure((index) =>
    storage.users.resolve(identities[index % userCount]!, { name: `User ${index % userCount}` }),
  );
  await storage.close();
  const fileBytes = path && existsSync(path) ? statSync(path).size : undefined;
  return {
    driver,
    kvSet,
    kvGet,
    append,
    resolve,
    ...(fileBytes === undefined ? {} : { fileBytes }),
  };
}

function print(rows: Row[]): void {
  const format = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');
  const header = ['driver', 'kv.set/s', 'kv.get/s', 'messages.append/s', 'users.resolve/s', 'file'];
  const lines = rows.map((row) => [
    row.driver,
    format(row.kvSet),
    format(row.kvGet),
    format(row.append),
    format(row.resolve),
    row.fileBytes === undefined ? '-' : `${(row.fileBytes / 1024).toFixed(0)} KiB`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  console.log(render(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(render(line));
}

const directory = mkdtempSync(join(tmpdir(), 'botwire-bench-'));
try {
  console.log(
    `storage bench: node ${process.version}, at most ${maxOperations} operations or ${maxMs} ms per figure\n`,
  );
  const rows: Row[] = [];
  for (const synchronous of ['full', 'normal'] as const) {
    const path = join(directory, `bench-${synchronous}.db`);
    rows.push(
      await bench(
        `sqlite (synchronous ${synchronous})`,
        sqliteStorage({ path, synchronous }),
        path,
      ),
    );
  }
  rows.push(await bench('memory', memoryStorage()));
  print(rows);
  console.log(
    '\nfile: database size after close; it grows with the writes that fit in the time limit.',
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
