import type { Bot } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit-log';
import type { BankDeskExtension } from '../bank-desk';
import type { BroadcastDesk } from './broadcast-desk';
import {
  broadcastsTo,
  buttonData,
  deskBot,
  type FlakyAdapter,
  flakyAdapter,
  seedMembers,
} from './broadcast-test-kit';

const admin = { userId: 'admin', locale: 'en' };
let bot: Bot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function start(chat: FlakyAdapter, perSecond = 200) {
  const started = await deskBot(chat, { broadcastPerSecond: perSecond });
  bot = started.bot;
  return { ...started, broadcasts: broadcastsOf(started.extension) };
}

function broadcastsOf(extension: BankDeskExtension): BroadcastDesk {
  const parts = extension.parts();
  if (!parts) throw new Error('the desk is not running');
  return parts.broadcasts;
}

describe('broadcast: who may send, and composing', () => {
  it('refuses /broadcast and its buttons to a customer, in their language', async () => {
    const chat = flakyAdapter();
    await start(chat);
    await seedMembers(bot!.storage, [{ id: 'kate', locale: 'ru' }]);
    const [reply] = await chat.say('/broadcast всем привет', { userId: 'kate' });
    expect(reply?.text).toBe('Рассылки могут отправлять только модераторы и администраторы.');
    const [pressed] = await chat.press('bank:broadcast:send:b1', { userId: 'kate' });
    expect(pressed?.text).toMatch(/только модераторы/);
  });

  it('asks for the text after a bare /broadcast, and /cancel cancels', async () => {
    const chat = flakyAdapter();
    const { broadcasts } = await start(chat);
    const members = await seedMembers(bot!.storage, [{ id: 'admin', locale: 'en', role: 'admin' }]);
    const [ask] = await chat.say('/broadcast', admin);
    expect(ask?.text).toMatch(/Send the text of the broadcast/);
    const [cancelled] = await chat.say('/cancel', admin);
    expect(cancelled?.text).toBe('The broadcast is cancelled.');
    expect(await broadcasts.history()).toEqual([]);
    // Not composing any more: a plain message is not taken as a broadcast.
    expect(await broadcasts.store.composing(members.get('admin')!.userId)).toBeUndefined();
  });

  it('opts a member out with /unsubscribe and back in with /subscribe', async () => {
    const chat = flakyAdapter();
    const started = await start(chat);
    const members = await seedMembers(bot!.storage, [{ id: 'kate', locale: 'ru' }]);
    const kate = members.get('kate')!;
    const [out] = await chat.say('/unsubscribe', { userId: 'kate' });
    expect(out?.text).toMatch(/отписались/);
    const directory = started.extension.parts()!.desk.directory;
    expect((await directory.get(kate.userId))?.optedOut).toBe(true);
    await chat.say('/subscribe', { userId: 'kate' });
    expect((await directory.get(kate.userId))?.optedOut).toBe(false);
  });
});

describe('broadcast: preview, audience, confirm and sending', () => {
  const seeds = [
    { id: 'admin', locale: 'en', role: 'admin' },
    { id: 'c1', locale: 'ru', registered: true },
    { id: 'c2', locale: 'en' },
    { id: 'c3', locale: 'ru', optedOut: true },
    { id: 'c4', locale: 'en', blocked: true },
    { id: 'c5', locale: 'ru', registered: true },
    { id: 'c6', locale: 'en', registered: true },
    { id: 'c7', locale: 'en' },
    { id: 'c8', locale: 'ru' },
  ] as const;

  it('sends each reachable member of the audience one message, and reports', async () => {
    const chat = flakyAdapter();
    const { broadcasts, extension } = await start(chat);
    const members = await seedMembers(bot!.storage, seeds);
    chat.blocked.add('chat-c6'); // blocks the bot now: the messenger refuses
    chat.failing.set('chat-c7', 1); // fails once, then the retry goes through
    chat.failing.set('chat-c8', 5); // fails both tries

    await chat.say('/broadcast', admin);
    const [preview] = await chat.say('Branches close at 15:00 on Friday.', admin);
    expect(preview?.text).toContain('Branches close at 15:00 on Friday.');
    expect(preview?.text).toContain('To stop these messages, send /unsubscribe');
    // Counts leave out the opted-out, the blocked, and the author.
    expect(preview?.buttons?.flat().map((button) => button.label)).toEqual([
      'All · 6',
      'Registered · 3',
      'Русский · 3',
      'English · 3',
      'Cancel',
    ]);
    for (const data of preview!.buttons!.flat().map((button) => button.data!))
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);

    await chat.press(buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:aud:'), admin);
    // The test adapter edits: the confirm step replaces the preview.
    expect(chat.edits.at(-1)?.text).toMatch(/Audience: everyone, 6 recipients\. Send\?/);
    await chat.press(buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:send:'), admin);
    await broadcasts.idle();

    for (const id of ['c1', 'c5']) {
      expect(broadcastsTo(chat.delivered, `chat-${id}`)).toEqual([
        'Branches close at 15:00 on Friday.\n\n— Чтобы не получать рассылки, отправьте /unsubscribe',
      ]);
    }
    for (const id of ['c2', 'c7'])
      expect(broadcastsTo(chat.delivered, `chat-${id}`)).toEqual([
        'Branches close at 15:00 on Friday.\n\n— To stop these messages, send /unsubscribe',
      ]);
    for (const id of ['c3', 'c4', 'c6', 'c8', 'admin'])
      expect(broadcastsTo(chat.delivered, `chat-${id}`)).toEqual([]);
    const desk = extension.parts()!.desk;
    expect((await desk.directory.get(members.get('c6')!.userId))?.blockedAt).toBeTypeOf('number');

    const report = chat.delivered.filter((message) => message.chatId === 'chat-admin').at(-1);
    expect(report?.text).toBe(
      'The broadcast is finished. Recipients: 6.\nSent: 4\nFailed: 1\nBlocked the bot: 1\nSkipped (opted out or blocked earlier): 2',
    );
    const [record] = await broadcasts.history();
    expect(record).toMatchObject({
      state: 'done',
      audience: 'all',
      total: 6,
      counts: { sent: 4, failed: 1, blocked: 1, skipped: 2, uncertain: 0 },
    });
    // The progress message was sent and edited until it showed every recipient done.
    const progress = chat.delivered.filter((message) => message.text.startsWith('Sending…'));
    expect(progress.map((message) => message.text)).toEqual(['Sending… 6/6']);
    expect(chat.edits.at(-1)).toMatchObject({
      id: progress[0]?.platformMessageId,
      text: 'Sending… 6/6',
    });
    const audit: AuditEntry[] = await desk.audit.recent(10);
    expect(audit.map((entry) => entry.action).sort()).toEqual([
      'broadcast.create',
      'broadcast.send',
    ]);
    expect(audit.find((entry) => entry.action === 'broadcast.send')?.details).toEqual({
      audience: 'all',
      total: 6,
    });
  });

  it('sends by language to that language only, and a second Send does nothing', async () => {
    const chat = flakyAdapter();
    const { broadcasts } = await start(chat);
    await seedMembers(bot!.storage, seeds);
    await chat.say('/broadcast Only for English speakers', admin);
    const all = buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:aud:');
    await chat.press(all, admin);
    // Back to the audiences, then English.
    await chat.press(buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:back:'), admin);
    await chat.press(all.replace(/:all$/, ':en'), admin);
    const send = buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:send:');
    await chat.press(send, admin);
    const [again] = await chat.press(send, admin);
    expect(again?.text).toBe('This broadcast is gone or already being sent.');
    await broadcasts.idle();
    const got = ['c1', 'c2', 'c5', 'c6', 'c7', 'c8'].filter(
      (id) => broadcastsTo(chat.delivered, `chat-${id}`).length > 0,
    );
    expect(got).toEqual(['c2', 'c6', 'c7']);
  });

  it('cancels a draft with its button and records it', async () => {
    const chat = flakyAdapter();
    const { broadcasts, extension } = await start(chat);
    await seedMembers(bot!.storage, seeds);
    await chat.say('/broadcast Never sent', admin);
    const [reply] = await chat.press(
      buttonData(chat.delivered, 'chat-admin', 'bank:broadcast:cancel:'),
      admin,
    );
    expect(reply?.text).toBe('The broadcast is cancelled.');
    expect((await broadcasts.history())[0]?.state).toBe('cancelled');
    // Entries of one millisecond may come in either order (the audit log sorts by time).
    const audit = await extension.parts()!.desk.audit.recent(10);
    expect(audit.map((entry) => entry.action).sort()).toEqual([
      'broadcast.cancel',
      'broadcast.create',
    ]);
    expect(chat.delivered.filter((message) => /Never sent\n/.test(message.text))).toHaveLength(1);
  });
});
