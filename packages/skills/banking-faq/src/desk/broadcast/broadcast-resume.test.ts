import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, sqliteStorage } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deskNamespace } from '../directory';
import { leaseTtlMs } from './broadcast-lease';
import type { BroadcastRecord, RecipientRecord } from './broadcast-store';
import {
  broadcastsTo,
  buttonData,
  deskBot,
  type FlakyAdapter,
  flakyAdapter,
  seedMembers,
} from './broadcast-test-kit';

const admin = { userId: 'admin', locale: 'en' };
const customers = Array.from({ length: 40 }, (_, index) => `c${String(index).padStart(2, '0')}`);
const bots: Bot[] = [];
let dataDir: string | undefined;

afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const waitFor = async (check: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const broadcastSends = (chat: FlakyAdapter) =>
  chat.sends.filter((send) => /^chat-c\d+$/.test(send.chatId));

describe('broadcast across a restart (SQLite)', () => {
  it('sends only to the rest after a restart, leaves a recipient caught mid-send uncertain, and keeps the pace', {
    timeout: 30_000,
  }, async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-broadcast-'));
    const perSecond = 50;
    const first = flakyAdapter();
    const one = await deskBot(first, { dataDir, broadcastPerSecond: perSecond });
    bots.push(one.bot);
    await seedMembers(one.bot.storage, [
      { id: 'admin', locale: 'en', role: 'admin' },
      ...customers.map((id) => ({ id, locale: 'en' as const })),
    ]);
    await first.say('/broadcast Our rates change on Monday.', admin);
    await first.press(buttonData(first.delivered, 'chat-admin', 'bank:broadcast:aud:'), admin);
    await first.press(buttonData(first.delivered, 'chat-admin', 'bank:broadcast:send:'), admin);
    await waitFor(() => broadcastSends(first).length >= 15, '15 messages');
    await one.bot.stop();
    bots.splice(0);
    const sentBefore = broadcastSends(first).length;
    expect(sentBefore).toBeLessThan(customers.length);
    const progress = first.delivered.find((message) => message.text.startsWith('Sending…'));

    // Make it look like a SIGKILL: the next recipient was being sent, and the lease names a
    // process that is gone.
    const storage = sqliteStorage({ path: join(dataDir, 'botwire.db') });
    await storage.open();
    const [record] = (
      await storage.kv.list<BroadcastRecord>(deskNamespace, { prefix: 'bcast:' })
    ).map((entry) => entry.value);
    expect(record?.state).toBe('sending');
    const recipients = await storage.kv.list<RecipientRecord>(deskNamespace, {
      prefix: `bcast-r:${record!.id}:`,
    });
    const caught = recipients.find((entry) => entry.value.state === 'pending')!;
    await storage.kv.set(deskNamespace, caught.key, {
      ...caught.value,
      state: 'sending',
      at: Date.now(),
    });
    // And one whose message had arrived, the kill coming before its `sent` mark: the chat's
    // history shows it, so it is not sent again and counts as sent.
    const arrived = recipients.filter((entry) => entry.value.state === 'sent').at(-1)!;
    await storage.kv.set(deskNamespace, arrived.key, {
      userId: arrived.value.userId,
      state: 'sending',
      at: arrived.value.at,
    });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await storage.kv.set(
      deskNamespace,
      `bcast-lease:${record!.id}`,
      { holder: 'killed', pid: deadPid, host: hostname(), at: Date.now() },
      { ttlMs: leaseTtlMs },
    );
    await storage.close();

    const second = flakyAdapter();
    const startedAt = Date.now();
    const two = await deskBot(second, { dataDir, broadcastPerSecond: perSecond });
    bots.push(two.bot);
    await two.extension.parts()!.broadcasts.idle();

    // Taken over at once (not after the lease's TTL), and not faster than the pace.
    const resumed = broadcastSends(second);
    expect(resumed[0]!.at - startedAt).toBeLessThan(leaseTtlMs / 2);
    // The pacer spaces its slots exactly; what the messenger sees also carries the jitter of
    // the `sending` write before each send, so a window may hold one message more.
    const times = resumed.map((send) => send.at);
    const inWindow = times.map((time) => times.filter((t) => t >= time && t < time + 1000).length);
    expect(Math.max(...inWindow)).toBeLessThanOrEqual(perSecond + 1);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / perSecond / 2);
    expect((times.at(-1)! - times[0]!) / (times.length - 1)).toBeGreaterThanOrEqual(
      1000 / perSecond - 1,
    );

    const all = [...first.delivered, ...second.delivered];
    const counts = customers.map((id) => broadcastsTo(all, `chat-${id}`).length);
    const caughtIndex = Number(caught.key.split(':').at(-1));
    expect(counts[caughtIndex]).toBe(0);
    expect(counts.filter((count, index) => index !== caughtIndex && count !== 1)).toEqual([]);
    expect(resumed).toHaveLength(customers.length - sentBefore - 1);

    // The new process edits the same progress message, then reports.
    expect(second.delivered.some((message) => message.text.startsWith('Sending…'))).toBe(false);
    expect(second.edits.at(-1)).toMatchObject({
      id: progress?.platformMessageId,
      text: `Sending… ${customers.length}/${customers.length}`,
    });
    const report = second.delivered.filter((message) => message.chatId === 'chat-admin').at(-1);
    expect(report?.text).toContain(`Sent: ${customers.length - 1}`);
    expect(report?.text).toContain(
      'Uncertain (the bot restarted during the send; not sent again): 1',
    );
    const [done] = await two.extension.parts()!.broadcasts.history(1);
    expect(done).toMatchObject({ state: 'done', counts: { sent: 39, uncertain: 1 } });
  });
});
