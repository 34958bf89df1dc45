import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import type { ChatRef } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import type { Adapter, SendOptions } from '../ports/adapter';
import type { JobQueue, JobRecord, JobRun } from '../ports/job-queue';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { BotJobs, reminderJobName } from './bot-jobs';

/** How a test messenger treats one send: `write` reports the write (`onWrite`) and makes it. */
type Sending = (write: () => void) => Promise<void>;

/** A messenger that records what reached it and sends as the test says. */
function messenger(reportsWrites: boolean) {
  const received: string[] = [];
  let sending: Sending = async (write) => write();
  const adapter: Adapter = {
    name: 'test',
    capabilities: {
      buttons: false,
      markdown: false,
      files: false,
      maxTextLength: 4096,
      reportsWrites,
    },
    async start() {},
    async stop() {},
    async send(_chat: ChatRef, message: OutgoingMessage, options?: SendOptions) {
      await sending(() => {
        options?.onWrite?.();
        received.push(message.text ?? '');
      });
      return { platformMessageIds: [String(received.length)] } satisfies SentMessage;
    },
  };
  return {
    adapter,
    received,
    sendAs(next: Sending) {
      sending = next;
    },
  };
}

/** The reminder handler of a BotJobs on `storage`, as the job queue would run it. */
function reminderHandler(adapter: Adapter, storage: StorageDriver) {
  const handlers = new Map<string, (run: JobRun) => Promise<void>>();
  const queue = {
    process: (name: string, handler: (run: JobRun) => Promise<void>) => handlers.set(name, handler),
  } as unknown as JobQueue;
  const events: string[] = [];
  const log = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => events.push(line),
  });
  new BotJobs(queue, {
    adapter: (name) => (name === adapter.name ? adapter : undefined),
    deliver: (target, chat, message, options) =>
      target.send(chat, message, options.onWrite ? { onWrite: options.onWrite } : undefined),
    receive: async () => {},
    storage: () => storage,
    log,
  }).register();
  const handler = handlers.get(reminderJobName)!;
  const job = {
    id: 'job-1',
    name: reminderJobName,
    data: {
      text: 'call mum',
      skill: 'reminders',
      userId: 'user-1',
      chat: { id: 'chat-1', platform: adapter.name, platformId: '42', type: 'private' },
    },
  } as unknown as JobRecord;
  const run = (attempt: number): Promise<void> =>
    handler({
      job,
      occurrenceId: 'job-1:1',
      due: new Date(0),
      lateMs: 0,
      caughtUp: false,
      attempt,
      signal: new AbortController().signal,
    });
  return { run, events };
}

/** A try the process was killed in: it never returns (here it is simply left behind). */
const killedTry = (run: Promise<void>) => {
  void run.catch(() => {});
};
const never = () => new Promise<void>(() => {});
const openMemory = async () => {
  const storage = memoryStorage();
  await storage.open();
  return storage;
};

describe('BotJobs reminder delivery', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('with an adapter that reports its writes, sends on the next try when the killed one wrote nothing', async () => {
    const { adapter, received, sendAs } = messenger(true);
    const { run } = reminderHandler(adapter, await openMemory());
    sendAs(() => never());
    killedTry(run(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual(['call mum']);
  });

  it('with an adapter that reports its writes, does not send again once one was reported', async () => {
    const { adapter, received, sendAs } = messenger(true);
    const { run, events } = reminderHandler(adapter, await openMemory());
    sendAs(async (write) => {
      write();
      await never();
    });
    killedTry(run(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual(['call mum']);
    expect(events.join('\n')).toContain('reminder-not-resent');
  });

  it('has the note in the SQLite file in the step of the write, before the send resolves', async () => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-bot-jobs-'));
    const path = join(directory, 'bot.db');
    const storage = sqliteStorage({ path });
    await storage.open();
    const { adapter, sendAs } = messenger(true);
    const { run } = reminderHandler(adapter, storage);
    const reader = new Database(path, { readonly: true });
    const notes = () =>
      (
        reader.prepare("SELECT count(*) AS n FROM kv WHERE namespace = 'jobs:sent'").get() as {
          n: number;
        }
      ).n;
    let atReport = -1;
    sendAs(async (write) => {
      write();
      // Read from another connection in the same synchronous step, as a restarted process would.
      atReport = notes();
    });
    await run(1);
    expect(atReport).toBe(1);
    reader.close();
    await storage.close();
  });

  it('notes a send whose write the adapter did not report once it resolved', async () => {
    const { adapter, received, sendAs } = messenger(true);
    const { run, events } = reminderHandler(adapter, await openMemory());
    // The request could not be watched: the adapter reports nothing, and the send succeeds.
    adapter.send = async (_chat, message) => {
      received.push(message.text ?? '');
      return { platformMessageIds: ['1'] };
    };
    await run(1);
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual(['call mum']);
    expect(events.join('\n')).toContain('reminder-not-resent');
  });

  it('sends the reminder when its note cannot be written, and says so', async () => {
    const { adapter, received } = messenger(true);
    const storage = await openMemory();
    const failing: StorageDriver = {
      ...storage,
      kv: storage.kv,
      flush() {
        throw new Error('disk full');
      },
    };
    const { run, events } = reminderHandler(adapter, failing);
    await run(1);
    expect(received).toEqual(['call mum']);
    expect(events.join('\n')).toContain('reminder-note-failed');
  });

  it('takes the note back when the messenger refused the message, so the retry sends', async () => {
    const { adapter, received, sendAs } = messenger(true);
    const { run } = reminderHandler(adapter, await openMemory());
    sendAs(async (write) => {
      write();
      throw new Error('Bad Request: chat not found');
    });
    await expect(run(1)).rejects.toThrow('chat not found');
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual(['call mum', 'call mum']);
  });

  it('with an adapter that does not report, marks before the send: a killed try is not repeated', async () => {
    const { adapter, received, sendAs } = messenger(false);
    const { run, events } = reminderHandler(adapter, await openMemory());
    sendAs(() => never());
    killedTry(run(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual([]);
    expect(events.join('\n')).toContain('reminder-not-resent');
  });

  it('with an adapter that does not report, a failed send removes the mark and the retry sends', async () => {
    const { adapter, received, sendAs } = messenger(false);
    const { run } = reminderHandler(adapter, await openMemory());
    sendAs(async () => {
      throw new Error('network down');
    });
    await expect(run(1)).rejects.toThrow('network down');
    sendAs(async (write) => write());
    await run(2);
    expect(received).toEqual(['call mum']);
  });
});
