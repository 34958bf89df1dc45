import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const workerScript = fileURLToPath(new URL('./fixtures/reminder-bot-worker.ts', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const reminderCount = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reminders the messenger got, in order (one line per delivery). */
function deliveries(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ')[0]!);
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A bot process killed with SIGKILL in the middle of a burst of due reminders, then started
 * again on the same SQLite file: the messenger (a log file the bot's adapter appends to and
 * fsyncs) must have every reminder exactly once.
 */
describe('reminders across a SIGKILL of the bot', () => {
  const children: ChildProcess[] = [];
  let directory: string | undefined;

  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  const bot = async (database: string, log: string, count: number, dueAt: number) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', workerScript, database, log, String(count), String(dueAt)],
      { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let output = '';
    let errors = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk;
    });
    await until(
      'the bot to start',
      () => {
        if (child.exitCode !== null) throw new Error(`The bot exited: ${errors}`);
        return output.includes('started');
      },
      60_000,
    );
    return child;
  };

  it('delivers every reminder of the burst exactly once', { timeout: 150_000 }, async () => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-reminders-crash-'));
    const database = join(directory, 'bot.db');
    const log = join(directory, 'messenger.log');
    const dueAt = Date.now() + 6_000;
    const first = await bot(database, log, reminderCount, dueAt);
    await until('a third of the burst', () => deliveries(log).length >= reminderCount / 3);
    first.kill('SIGKILL');
    await once(first, 'close');
    expect(first.signalCode).toBe('SIGKILL');
    const beforeKill = deliveries(log).length;
    expect(beforeKill, 'the kill came before the end of the burst').toBeLessThan(reminderCount);

    const second = await bot(database, log, 0, 0);
    await until('every reminder', () => new Set(deliveries(log)).size === reminderCount).catch(
      (error) => {
        throw new Error(
          `${error.message}: ${new Set(deliveries(log)).size} of ${reminderCount}, ${beforeKill} before the kill`,
        );
      },
    );
    // Occurrences the killed process held come back after their lease (2 s): wait past it.
    await sleep(4_000);
    second.kill('SIGTERM');
    await once(second, 'close');

    const counts = new Map<string, number>();
    for (const text of deliveries(log)) counts.set(text, (counts.get(text) ?? 0) + 1);
    const expected = Array.from({ length: reminderCount }, (_, index) => `r${index}`);
    expect(
      expected.filter((text) => !counts.has(text)),
      'never delivered',
    ).toEqual([]);
    expect(
      [...counts].filter(([, count]) => count > 1).map(([text]) => text),
      'delivered twice',
    ).toEqual([]);
    console.info(
      `reminders crash: ${beforeKill} delivered before the SIGKILL, ${reminderCount - beforeKill} after the restart, none twice`,
    );
  });
});
