import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { firstWords, killWorkers, startWorker, until } from '../scheduler/testing/worker-process';

const workerScript = fileURLToPath(new URL('./fixtures/reminder-bot-worker.ts', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const reminderCount = 300;
/** How long the messenger takes to answer a request, as a messenger's server does (ms). */
const answerMs = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const deliveries = firstWords;
/** The reminders (`r0` … `r299`) the messenger's log does not have. */
const missing = (log: string) => {
  const seen = new Set(deliveries(log));
  return Array.from({ length: reminderCount }, (_, index) => `r${index}`).filter(
    (text) => !seen.has(text),
  );
};
/** What the bots logged at warn level or above (see the worker), for a failure's message. */
const warnings = (log: string) =>
  existsSync(`${log}.events`) ? readFileSync(`${log}.events`, 'utf8') : '(none)';

/**
 * A bot process killed with SIGKILL in the middle of a burst of due reminders, then started
 * again on the same SQLite file: the messenger (a log file the bot's adapter appends to, which
 * answers each request `answerMs` later) must have every reminder exactly once.
 */
describe('reminders across a SIGKILL of the bot', () => {
  const children: ChildProcess[] = [];
  let directory: string | undefined;

  afterEach(() => {
    killWorkers(children);
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  const bot = async (database: string, log: string, count: number, dueAt: number) =>
    (
      await startWorker(
        workerScript,
        [database, log, String(count), String(dueAt), String(answerMs)],
        { cwd: here, children },
      )
    ).child;

  it('delivers every reminder of the burst exactly once', { timeout: 150_000 }, async () => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-reminders-crash-'));
    const database = join(directory, 'bot.db');
    const log = join(directory, 'messenger.log');
    const dueAt = Date.now() + 6_000;
    const first = await bot(database, log, reminderCount, dueAt);
    await until('a third of the burst', () => deliveries(log).length >= reminderCount / 3);
    // At a random moment of the next answer period: a kill right as the poll above sees the
    // writes would land inside the bot's burst of writes far more often than chance would.
    await sleep(Math.random() * answerMs);
    first.kill('SIGKILL');
    await once(first, 'close');
    expect(first.signalCode).toBe('SIGKILL');
    const beforeKill = deliveries(log).length;
    expect(beforeKill, 'the kill came before the end of the burst').toBeLessThan(reminderCount);

    const second = await bot(database, log, 0, 0);
    await until('every reminder', () => new Set(deliveries(log)).size === reminderCount).catch(
      (error) => {
        throw new Error(
          `${error.message}: ${new Set(deliveries(log)).size} of ${reminderCount}, ${beforeKill} before the kill, missing ${missing(log).join(' ')}; the bots' warnings:\n${warnings(log)}`,
        );
      },
    );
    // Occurrences the killed process held come back after their lease (2 s): wait past it.
    await sleep(4_000);
    second.kill('SIGTERM');
    await once(second, 'close');

    const counts = new Map<string, number>();
    for (const text of deliveries(log)) counts.set(text, (counts.get(text) ?? 0) + 1);
    expect(missing(log), 'never delivered').toEqual([]);
    const twice = [...counts].filter(([, count]) => count > 1).map(([text]) => text);
    // Each line is `<text> <pid>`: the pids say which process sent each copy.
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(
      twice.map((text) => lines.filter((line) => line.startsWith(`${text} `)).join(', ')),
      `delivered twice (first process ${first.pid}, second ${second.pid}); the bots' warnings:\n${warnings(log)}`,
    ).toEqual([]);
    console.info(
      `reminders crash: ${beforeKill} delivered before the SIGKILL, ${reminderCount - beforeKill} after the restart, none twice`,
    );
  });
});
