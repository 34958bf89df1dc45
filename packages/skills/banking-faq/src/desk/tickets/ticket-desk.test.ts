import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, createBot, type SkillManifest, silentLogger } from '@botwire/core';
import { type DeliveredMessage, type TestAdapter, testAdapter } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import skill from '../../index';
import { type BankDeskExtension, bankDesk } from '../bank-desk';
import type { BankDeskOptions } from '../desk';
import { takeButtonData } from './ticket-notices';
import { sweepTimeouts } from './ticket-sweeper';

/**
 * The moderator hand-off in a bot on the in-process test adapter: a ticket reaches staff with
 * the conversation and a Take button, one open ticket per customer, only staff take, the relay
 * both ways shows "Moderator <first name>" and never the account, /end from either side, the
 * timeout reply once, and registration when the options require it.
 */
const manifest = JSON.parse(
  readFileSync(new URL('../../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

const ann = { userId: 'ann', name: 'Ann Lee', locale: 'en' };
const bob = { userId: 'bob', name: 'Bob Stone', locale: 'en' };
const eve = { userId: 'eve', name: 'Eve Moss', locale: 'ru' };

let bot: Bot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

interface Started {
  chat: TestAdapter;
  desk: BankDeskExtension;
  /** What the bot sent to a test user's chat so far. */
  to(user: { userId: string }): DeliveredMessage[];
  /** Makes a user who wrote once a moderator. */
  promote(user: { userId: string }): Promise<void>;
}

async function start(options: BankDeskOptions = {}, dataDir?: string): Promise<Started> {
  const chat = testAdapter();
  // The FAQ stays out of the way (its hand-off would open tickets) unless a test asks for it.
  const desk = bankDesk({ ticketsNeedRegistration: false, answerQuestions: false, ...options });
  bot = createBot({
    config: {
      storage: dataDir ? 'sqlite' : 'memory',
      access: 'open',
      skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
      extensions: [desk],
    },
    ...(dataDir ? { dataDir } : {}),
    adapters: [chat.adapter],
    log: silentLogger,
    env: {},
  });
  await bot.start();
  const storage = () => desk.parts()!.desk.services.storage;
  return {
    chat,
    desk,
    to: (user) => chat.delivered.filter((message) => message.chatId === `chat-${user.userId}`),
    async promote(user) {
      const found = await storage().users.findByIdentity({
        platform: 'test',
        platformId: user.userId,
      });
      await storage().users.update(found!.id, { role: 'moderator' });
    },
  };
}

const texts = (messages: DeliveredMessage[]) => messages.map((message) => message.text);
const lastText = (messages: DeliveredMessage[]) => messages.at(-1)?.text ?? '';

/** Ann and Bob wrote once, Bob is a moderator, and Ann asked for one with /help. */
async function withTicket(options: BankDeskOptions = {}) {
  const started = await start(options);
  await started.chat.say('Hello there', bob);
  await started.promote(bob);
  await started.chat.say('my transfer of 5000 did not arrive', ann);
  const opened = await started.chat.say('/help where is my money', ann);
  return { ...started, opened };
}

describe('moderator hand-off', () => {
  it('opens a ticket and sends staff the question, the recent messages and a Take button', async () => {
    const { opened, to, desk } = await withTicket();
    expect(texts(opened)).toEqual([
      'Request #1 is open. A moderator will write to you here. Send /end to close it.',
    ]);
    const notice = to(bob).at(-1)!;
    expect(notice.text).toContain('New request #1');
    expect(notice.text).toContain('Customer: Ann Lee');
    expect(notice.text).toContain('Question: where is my money');
    expect(notice.text).toContain('Ann Lee: my transfer of 5000 did not arrive');
    expect(notice.buttons).toEqual([[{ label: 'Take', data: 'bank:ticket:take:1' }]]);
    const [ticket] = await desk.parts()!.tickets.list();
    expect(ticket).toMatchObject({ id: '1', state: 'waiting', origin: 'command' });
    expect(Object.keys(ticket!.notices ?? {})).toHaveLength(1);
  });

  it('keeps one open ticket per customer, also for two messages at the same moment', async () => {
    const { chat, desk } = await start();
    const [first, second] = await Promise.all([
      chat.say('/help', { ...ann, chatId: 'chat-ann' }),
      chat.say('/help', { ...ann, chatId: 'chat-ann-2' }),
    ]);
    const replies = [...texts(first), ...texts(second)];
    expect(replies.filter((text) => text.includes('is open'))).toHaveLength(1);
    expect(replies.filter((text) => text.includes('You already have request'))).toHaveLength(1);
    expect(await desk.parts()!.tickets.list({ state: 'waiting' })).toHaveLength(1);
    expect(lastText(await chat.say('/help', ann))).toMatch(/already have request #\d+/);
  });

  it('tells the customer when no moderator is reachable, and keeps the ticket waiting', async () => {
    const { chat, desk } = await start();
    const replies = await chat.say('/help', ann);
    expect(lastText(replies)).toMatch(/No moderator is available right now\. Request #1 stays/);
    const ticket = await desk.parts()!.tickets.activeFor(await userId(desk, 'ann'));
    expect(ticket?.state).toBe('waiting');
  });

  it('refuses a Take from someone who is not a moderator', async () => {
    const { chat, desk } = await withTicket();
    await chat.say('hi', eve);
    const refused = await chat.press(takeButtonData('1'), eve);
    expect(lastText(refused)).toBe('Брать обращения могут только модераторы.');
    expect((await desk.parts()!.tickets.list())[0]?.state).toBe('waiting');
  });

  it('relays both ways with "Moderator <first name>", and /end from the customer closes it', async () => {
    const { chat, to, desk } = await withTicket();
    await chat.say('still there?', ann);
    const took = await chat.press(takeButtonData('1'), bob);
    expect(lastText(took)).toContain('You took request #1 (Ann Lee)');
    expect(lastText(took)).toContain('— still there?');
    expect(lastText(to(ann))).toBe(
      'Moderator Bob joined the conversation (request #1). Write here.',
    );
    expect(lastText(await chat.press(takeButtonData('1'), bob))).toBe(
      'Request #1 is already yours.',
    );

    await chat.say('Hello Ann, let me check', bob);
    expect(lastText(to(ann))).toBe('Moderator Bob: Hello Ann, let me check');
    expect(texts(to(ann)).join('\n')).not.toMatch(/Stone|bob\b/);
    await chat.say('thank you', ann);
    expect(lastText(to(bob))).toBe('#1 · Ann Lee: thank you');

    expect(texts(await chat.say('/end', ann))).toEqual(['Request #1 is closed. Thank you!']);
    expect(lastText(to(bob))).toBe('The customer closed request #1 (Ann Lee).');
    const [ticket] = await desk.parts()!.tickets.list();
    expect(ticket).toMatchObject({ state: 'closed', outcome: 'closed-by-user' });
    expect(ticket!.takenAt).toBeGreaterThanOrEqual(ticket!.openedAt);
    // The relay is over: Bob's next message is his own again.
    await chat.say('anyone?', bob);
    expect(lastText(to(ann))).toBe('Request #1 is closed. Thank you!');
    expect(lastText(await chat.say('/end', ann))).toBe(
      'You have no open request. Send /help to call a moderator.',
    );
  });

  it('closes from the moderator side, audits take and end, and counts it in the stats', async () => {
    const { chat, to, desk } = await withTicket();
    await chat.press(takeButtonData('1'), bob);
    await chat.say('Your card is unblocked now.', bob);
    expect(texts(await chat.say('/end', bob))).toEqual(['Request #1 (Ann Lee) is closed.']);
    expect(lastText(to(ann))).toMatch(/^Moderator Bob ended the conversation \(request #1\)/);
    const parts = desk.parts()!;
    const actions = (await parts.desk.audit.recent()).map((entry) => entry.action);
    expect(actions.sort()).toEqual(['ticket.end', 'ticket.reply', 'ticket.take']);
    // The log says that Bob answered, not what he wrote.
    expect(JSON.stringify(await parts.desk.audit.recent())).not.toContain('unblocked');
    const stats = await parts.tickets.stats();
    expect(stats).toMatchObject({ total: 1, closed: 1, waiting: 0, timedOut: 0 });
    expect(stats.outcomes['closed-by-moderator']).toBe(1);
    expect(stats.averageWaitMs).toBeGreaterThanOrEqual(0);
  });

  it('lets a waiting ticket be cancelled, and edits the staff notice', async () => {
    const { chat, to } = await withTicket();
    expect(texts(await chat.say('/end', ann))).toEqual(['Request #1 is cancelled.']);
    expect(lastText(to(bob))).toBe('Request #1 (Ann Lee) was cancelled by the customer.');
    expect(lastText(await chat.press(takeButtonData('1'), bob))).toBe(
      'Request #1 is already closed.',
    );
  });

  it('asks a moderator in a ticket to /end it before taking another', async () => {
    const { chat, to } = await withTicket();
    await chat.say('hi', eve);
    await chat.say('/help', eve);
    await chat.press(takeButtonData('1'), bob);
    expect(lastText(await chat.press(takeButtonData('2'), bob))).toMatch(
      /already handling request #1\. Close it with \/end/,
    );
    expect(lastText(to(eve))).toMatch(/^Обращение #2 открыто/);
  });

  it('relays a caption but not a bare file', async () => {
    const { chat, to } = await withTicket();
    await chat.press(takeButtonData('1'), bob);
    const file = { name: 'receipt.pdf', data: new Uint8Array([1, 2, 3]) };
    expect(lastText(await chat.sendFile(file, '', ann))).toMatch(/Files cannot be forwarded yet/);
    expect(lastText(await chat.sendFile(file, 'my receipt', ann))).toMatch(/Only the caption/);
    expect(lastText(to(bob))).toBe('#1 · Ann Lee: my receipt');
  });

  it('replies once to a ticket nobody took in time, also with two sweepers at once', async () => {
    const { chat, to, desk } = await withTicket({ ticketTimeoutMinutes: 0.005 });
    const isTimeout = (text: string) => text.startsWith('All moderators are busy right now');
    const deadline = Date.now() + 5_000;
    while (!texts(to(ann)).some(isTimeout) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const parts = desk.parts()!;
    const again = await Promise.all([
      sweepTimeouts(parts.desk, parts.tickets.store),
      sweepTimeouts(parts.desk, parts.tickets.store),
    ]);
    expect(again).toEqual([0, 0]);
    expect(texts(to(ann)).filter(isTimeout)).toHaveLength(1);
    expect((await parts.tickets.list())[0]).toMatchObject({ state: 'waiting' });
    expect((await parts.tickets.stats()).timedOut).toBe(1);
    // The ticket stays open: a moderator can still take it.
    await chat.press(takeButtonData('1'), bob);
    expect(lastText(to(ann))).toMatch(/^Moderator Bob joined/);
  });

  it('keeps tickets and the relay across a restart on SQLite, and sweeps a timeout on start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botwire-tickets-'));
    try {
      const options = { ticketTimeoutMinutes: 0.01 };
      const first = await start(options, dataDir);
      await first.chat.say('hi', bob);
      await first.promote(bob);
      await first.chat.say('/help', ann);
      await first.chat.say('/help', eve);
      await first.chat.press(takeButtonData('1'), bob);
      await bot?.stop();
      // Eve's ticket passes its timeout while no bot runs; the next one tells her at start.
      await new Promise((resolve) => setTimeout(resolve, 700));
      const second = await start(options, dataDir);
      await second.chat.say('still here', bob);
      expect(lastText(second.to(ann))).toBe('Moderator Bob: still here');
      // Normally the second bot's first sweep sends it; on a slow machine the first bot may have.
      const timeouts = () =>
        [...first.to(eve), ...second.to(eve)]
          .map((message) => message.text)
          .filter((text) => text.startsWith('Сейчас все модераторы заняты'));
      const deadline = Date.now() + 5_000;
      while (timeouts().length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(timeouts()).toEqual([
        'Сейчас все модераторы заняты. Обращение #2 остаётся открытым: модератор напишет вам здесь. Чтобы отменить его, отправьте /end.',
      ]);
      expect(texts(await second.chat.say('/end', ann))).toEqual([
        'Request #1 is closed. Thank you!',
      ]);
    } finally {
      await bot?.stop();
      bot = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an unregistered customer when registration is required', async () => {
    const { chat, desk } = await start({ ticketsNeedRegistration: true });
    expect(texts(await chat.say('/help', eve))).toEqual([
      'Чтобы поговорить с модератором, сначала зарегистрируйтесь: отправьте /start и поделитесь номером телефона.',
    ]);
    expect(await desk.parts()!.tickets.list()).toEqual([]);
  });

  it('opens a ticket after an answer that hands off', async () => {
    const { chat, to, promote, desk } = await start({ answerQuestions: true });
    await chat.say('/end', bob);
    await promote(bob);
    const replies = await chat.say('почему вчера списали 5000 рублей?', { ...ann, locale: 'ru' });
    expect(lastText(replies)).toMatch(/^Обращение #1 открыто/);
    expect(lastText(to(bob))).toContain('Question: почему вчера списали 5000 рублей?');
    expect((await desk.parts()!.tickets.list())[0]?.origin).toBe('faq');
  });
});

async function userId(desk: BankDeskExtension, platformId: string): Promise<string> {
  const user = await desk.parts()!.desk.services.storage.users.findByIdentity({
    platform: 'test',
    platformId,
  });
  return user!.id;
}
