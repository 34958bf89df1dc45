import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStorage } from '@botwire/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type EmulatedUser,
  type Emulator,
  startEmulator,
} from '../../packages/adapters/telegram/src/testing/emulator';
import { Directory } from '../../packages/skills/banking-faq/src/desk/directory';
import { BotProcesses, waitFor } from './testing/bot-processes';

/**
 * The broadcast's acceptance test on the public Telegram emulator: 1,000 customers and an admin
 * in the bot's SQLite storage; the admin sends /broadcast, picks the audience and presses Send;
 * the bot (a child process) is killed with SIGKILL once about half the customers have the
 * message, and a new one on the same data directory finishes the job. Every customer gets
 * exactly one message, and the emulator's own timestamps show the rate within Telegram's limits
 * (30 a second in all, 1 a second per chat).
 */

const customerCount = 1000;
const perSecond = 25;
const admin: EmulatedUser = { id: 1001, name: 'Ann' };
const customerIds = Array.from({ length: customerCount }, (_, index) => 200_000 + index);
const broadcastText = 'Severny Bank: on Friday our branches close at 15:00.';

const bots = new BotProcesses();
let emulator: Emulator | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await bots.killAll();
  await emulator?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the admin and the customers into the bot's storage, as if they had written to it. */
async function seed(directory: string): Promise<void> {
  const storage = sqliteStorage({ path: join(directory, 'botwire.db') });
  await storage.open();
  const members = new Directory(storage.kv);
  const put = async (id: number, locale: 'ru' | 'en', role?: 'admin') => {
    const identity = { platform: 'telegram', platformId: String(id) };
    const [user, chat] = await Promise.all([
      storage.users.resolve(identity, { name: `User ${id}` }),
      storage.chats.resolve(identity, { type: 'private' }),
    ]);
    if (role) await storage.users.update(user.id, { role });
    await members.put({
      userId: user.id,
      platform: 'telegram',
      chat: { platformId: String(id), type: 'private' },
      chatId: chat.id,
      locale,
      ...(id % 3 === 0 ? { registeredAt: Date.now() } : {}),
      firstSeen: Date.now(),
      lastSeen: Date.now(),
    });
  };
  await put(admin.id, 'en', 'admin');
  for (let start = 0; start < customerIds.length; start += 100)
    await Promise.all(
      customerIds
        .slice(start, start + 100)
        .map((id, index) => put(id, (start + index) % 2 ? 'en' : 'ru')),
    );
  await storage.close();
}

function startBot(directory: string): Promise<ChildProcess> {
  return bots.start(emulator!.apiRoot, directory, { broadcastPerSecond: perSecond }, 150);
}

type Stored = { time: number; chatId: string; text: string; buttons: string[] };

function stored(): Stored[] {
  return emulator!.server.storage.botMessages.map((each) => {
    const message = each.message as {
      chat_id: number | string;
      text?: string;
      reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> };
    };
    return {
      time: each.time,
      chatId: String(message.chat_id),
      text: String(message.text ?? ''),
      buttons: (message.reply_markup?.inline_keyboard ?? [])
        .flat()
        .map((button) => button.callback_data ?? ''),
    };
  });
}

const adminMessages = () => stored().filter((message) => message.chatId === String(admin.id));
/** The first button with the prefix on the newest message of the admin that has one. */
const adminButton = (prefix: string) =>
  adminMessages()
    .map((message) => message.buttons.find((data) => data.startsWith(prefix)))
    .findLast((data) => data !== undefined);

describe('broadcast on the Telegram emulator across a SIGKILL', () => {
  it('gives each of 1,000 customers exactly one message within Telegram limits', {
    timeout: 240_000,
  }, async () => {
    emulator = await startEmulator();
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-bank-broadcast-'));
    await seed(dataDir);
    const first = await startBot(dataDir);

    await emulator.userSends(`/broadcast ${broadcastText}`, admin);
    await waitFor(() => adminButton('bank:broadcast:aud:') !== undefined, 'the preview');
    const previewAt = Date.now();
    const all = adminButton('bank:broadcast:aud:')!;
    expect(all).toMatch(/^bank:broadcast:aud:\w+:all$/);
    await emulator.userPresses(all, admin);
    await waitFor(() => adminButton('bank:broadcast:send:') !== undefined, 'the confirm step');
    // A person takes a moment; the progress message must not follow the preview within 1 s.
    await pause(Math.max(0, 1100 - (Date.now() - previewAt)));

    // Killed the moment the 500th customer's message arrives: the worst case for the message
    // in flight (it has arrived, and the bot has not yet written it down as sent).
    const customers = new Set(customerIds.map(String));
    let delivered = 0;
    let killedAfter = 0;
    const onMessage = () => {
      const last = emulator!.server.storage.botMessages.at(-1);
      if (!last || !customers.has(String((last.message as { chat_id: unknown }).chat_id))) return;
      delivered += 1;
      if (delivered === customerCount / 2) {
        first.kill('SIGKILL');
        killedAfter = delivered;
      }
    };
    emulator.server.on('AddedBotMessage', onMessage);
    await emulator.userPresses(adminButton('bank:broadcast:send:')!, admin);
    await waitFor(() => first.signalCode === 'SIGKILL', 'the kill', 90_000);
    emulator.server.off('AddedBotMessage', onMessage);
    expect(killedAfter).toBe(customerCount / 2);

    await startBot(dataDir);
    const reportPrefix = 'The broadcast is finished';
    await waitFor(
      () => adminMessages().some((message) => message.text.startsWith(reportPrefix)),
      'the report',
      120_000,
    );

    const messages = stored();
    const byChat = new Map<string, Stored[]>();
    for (const message of messages) {
      const list = byChat.get(message.chatId) ?? [];
      list.push(message);
      byChat.set(message.chatId, list);
    }
    const wrong = customerIds.filter((id) => {
      const got = (byChat.get(String(id)) ?? []).filter((message) =>
        message.text.startsWith(broadcastText),
      );
      return got.length !== 1;
    });
    expect(wrong).toEqual([]);
    const footers = customerIds.map((id) => byChat.get(String(id))![0]!.text.split('\n').at(-1));
    expect(new Set(footers)).toEqual(
      new Set([
        '— Чтобы не получать рассылки, отправьте /unsubscribe',
        '— To stop these messages, send /unsubscribe',
      ]),
    );

    // Rates from the emulator's timestamps: every message of the bot, in every chat.
    const times = messages.map((message) => message.time).sort((a, b) => a - b);
    let maxInSecond = 0;
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= 1000) start += 1;
      maxInSecond = Math.max(maxInSecond, end - start + 1);
    }
    let minGapInChat = Number.POSITIVE_INFINITY;
    for (const list of byChat.values())
      for (let index = 1; index < list.length; index += 1)
        minGapInChat = Math.min(minGapInChat, list[index]!.time - list[index - 1]!.time);
    const broadcastTimes = messages
      .filter((message) => message.text.startsWith(broadcastText))
      .map((message) => message.time);
    const span = Math.max(...broadcastTimes) - Math.min(...broadcastTimes);
    console.log(
      `broadcast: ${broadcastTimes.length} messages, at most ${maxInSecond} in any 1,000 ms, ` +
        `closest two in one chat ${minGapInChat} ms apart, ${span} ms from first to last ` +
        `(kill and restart included)`,
    );
    expect(maxInSecond).toBeLessThanOrEqual(30);
    expect(minGapInChat).toBeGreaterThanOrEqual(1000);

    const report = adminMessages().find((message) => message.text.startsWith(reportPrefix))!;
    console.log(`report: ${report.text.replaceAll('\n', ' | ')}`);
    expect(report.text).toContain(`Recipients: ${customerCount}.`);
    const count = (label: string) =>
      Number(new RegExp(`${label}: (\\d+)`).exec(report.text)?.[1] ?? 0);
    expect(
      count('Sent') + count('Uncertain \\(the bot restarted during the send; not sent again\\)'),
    ).toBe(customerCount);
    expect([count('Failed'), count('Blocked the bot')]).toEqual([0, 0]);
  });
});
