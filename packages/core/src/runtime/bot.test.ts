import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { silentLogger } from '../logging/logger';
import type { InlineSkill } from '../skills/define-skill';
import { testAdapter } from '../testing/test-adapter';
import { type Bot, createBot } from './bot';

const notesSkill: InlineSkill = {
  manifest: {
    name: 'notes',
    version: '1.0.0',
    description: 'Keeps notes.',
    tools: [
      {
        name: 'note_add',
        description: 'Saves a note.',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 3 } },
          required: ['text'],
          additionalProperties: false,
        },
        permissions: ['storage'],
        side_effects: true,
        timeout_ms: 2000,
      },
      {
        name: 'note_choice',
        description: 'Offers a choice.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
    ],
    commands: [
      {
        name: 'note',
        tool: 'note_add',
        argument: 'text',
        description: { en: 'save a note', ru: 'сохранить заметку' },
      },
      { name: 'choose', tool: 'note_choice', description: 'offer a choice' },
    ],
  },
  definition: {
    tools: {
      note_add: async ({ text }: { text: string }, context) => {
        const count = ((await context.storage.get<number>('count')) ?? 0) + 1;
        await context.storage.set('count', count);
        return { text: context.t('saved', { count, text }) };
      },
      note_choice: async () => ({
        text: 'Which one?',
        buttons: [
          [
            { label: 'Red', data: 'pick:red' },
            { label: 'Blue', data: 'pick:blue' },
          ],
        ],
      }),
    },
    strings: {
      en: { saved: 'Saved note #{count}: {text}' },
      ru: { saved: 'Заметка №{count} сохранена: {text}' },
    },
  },
};

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(config: BotConfig, capabilities = {}) {
  const test = testAdapter(capabilities);
  const bot = createBot({
    config: { storage: 'memory', ...config },
    adapters: [test.adapter],
    log: silentLogger,
  });
  bots.push(bot);
  await bot.start();
  return { bot, test };
}

describe('bot runtime: access control', () => {
  it('answers strangers of a private bot with the access prompt only', async () => {
    const { test } = await startBot({ skills: [{ use: notesSkill, permissions: ['storage'] }] });
    const [reply] = await test.say('/note hello world', { userId: 'stranger' });
    expect(reply?.text).toMatch(/no owner yet.*claim code shown in the terminal/);
    const again = await test.say('/help', { userId: 'stranger' });
    expect(again[0]?.text).toMatch(/no owner yet/);
  });

  it('makes the first sender of the claim code its owner, once', async () => {
    const { bot, test } = await startBot({});
    const code = bot.claimCode;
    expect(code).toMatch(/^\d{3}-\d{3}-\d{3}$/);
    expect((await test.say('000-000-000', { userId: 'guess' }))[0]?.text).toMatch(/not right/);
    expect((await test.say(`/claim ${code}`, { userId: 'ann' }))[0]?.text).toMatch(
      /You are now the owner/,
    );
    expect(bot.claimCode).toBeUndefined();
    expect((await test.say(code!, { userId: 'bob' }))[0]?.text).toMatch(/private/);
    expect((await test.say('/whoami', { userId: 'ann' }))[0]?.text).toMatch(/Role: owner/);
  });

  it('lets the owner admit and revoke users', async () => {
    const { bot, test } = await startBot({});
    await test.say(bot.claimCode!, { userId: 'owner' });
    const [denied] = await test.say('hi', { userId: 'friend' });
    const friendId = /Your id: (usr_\w+)/.exec(denied!.text)?.[1];
    expect(friendId).toBeDefined();
    expect((await test.say(`/admit ${friendId}`, { userId: 'owner' }))[0]?.text).toMatch(
      /can use the bot now/,
    );
    expect((await test.say('/whoami', { userId: 'friend' }))[0]?.text).toMatch(/Role: user/);
    expect((await test.say(`/admit ${friendId}`, { userId: 'friend' }))[0]?.text).toMatch(
      /Only admin/,
    );
    expect((await test.say(`/role ${friendId} premium`, { userId: 'owner' }))[0]?.text).toBe(
      `User ${friendId} is now premium.`,
    );
    expect((await test.say('/whoami', { userId: 'friend' }))[0]?.text).toMatch(/Role: premium/);
    expect((await test.say(`/role ${friendId} gold`, { userId: 'owner' }))[0]?.text).toBe(
      'Unknown role "gold". Use owner, admin, moderator, premium or user.',
    );
    expect((await test.say(`/revoke ${friendId}`, { userId: 'owner' }))[0]?.text).toMatch(
      /no longer has access/,
    );
    expect((await test.say('/help', { userId: 'friend' }))[0]?.text).toMatch(/private/);
  });

  it('admits the allow list from the config and everyone in open mode', async () => {
    const { test } = await startBot({ allow: ['test:vip'] });
    expect((await test.say('/whoami', { userId: 'vip' }))[0]?.text).toMatch(/Role: user/);
    const open = await startBot({ access: 'open' });
    expect((await open.test.say('/whoami', { userId: 'anyone' }))[0]?.text).toMatch(/Role: none/);
  });

  it('treats the local operator as the owner only on adapters that vouch for it', async () => {
    const local = await startBot({}, { localOperator: true });
    expect((await local.test.say('/whoami', { operator: true }))[0]?.text).toMatch(/Role: owner/);
    const remote = await startBot({});
    expect((await remote.test.say('/whoami', { operator: true }))[0]?.text).toMatch(
      /no owner yet.*claim code/,
    );
  });
});

describe('bot runtime: commands and skills', () => {
  it('lists the loaded skills and their commands in /help', async () => {
    const { test } = await startBot({
      access: 'open',
      skills: [{ use: notesSkill, permissions: ['storage'] }],
    });
    const [help] = await test.say('/help');
    expect(help?.text).toContain('notes 1.0.0: Keeps notes.');
    expect(help?.text).toContain('/note <text> — save a note');
    expect(help?.text).toContain('/choose — offer a choice');
    expect(help?.text).not.toContain('/admit');
  });

  it('answers in Russian for a Russian-speaking user', async () => {
    const { test } = await startBot({
      access: 'open',
      skills: [{ use: notesSkill, permissions: ['storage'] }],
    });
    const [help] = await test.say('/help', { locale: 'ru-RU' });
    expect(help?.text).toContain('что я умею');
    expect(help?.text).toContain('/note <text> — сохранить заметку');
    const [saved] = await test.say('/note купить молоко', { locale: 'ru' });
    expect(saved?.text).toBe('Заметка №1 сохранена: купить молоко');
  });

  it("runs a skill command through its tool, with the skill's own storage", async () => {
    const { test } = await startBot({
      access: 'open',
      skills: [{ use: notesSkill, permissions: ['storage'] }],
    });
    expect((await test.say('/note buy milk'))[0]?.text).toBe('Saved note #1: buy milk');
    expect((await test.say('/note buy bread'))[0]?.text).toBe('Saved note #2: buy bread');
  });

  it('explains invalid arguments without running the tool', async () => {
    const { test } = await startBot({
      access: 'open',
      skills: [{ use: notesSkill, permissions: ['storage'] }],
    });
    const [reply] = await test.say('/note hi');
    expect(reply?.text).toMatch(/That does not fit \/note/);
    expect(reply?.text).toMatch(/Usage: \/note <text>/);
    expect((await test.say('/note first real note'))[0]?.text).toBe(
      'Saved note #1: first real note',
    );
  });

  it('refuses a tool whose permission the config does not grant, and says how to grant it', async () => {
    const { test } = await startBot({ access: 'open', skills: [{ use: notesSkill }] });
    const [reply] = await test.say('/note buy milk');
    expect(reply?.text).toMatch(/not allowed/);
    expect(reply?.text).toMatch(/storage/);
  });

  it('answers unknown commands and plain text with a hint', async () => {
    const { test } = await startBot({ access: 'open' });
    expect((await test.say('/nope'))[0]?.text).toMatch(/There is no command \/nope/);
    expect((await test.say('hello'))[0]?.text).toMatch(/\/help/);
  });

  it('turns buttons into numbered options where the messenger has none, and maps the number back', async () => {
    const { bot, test } = await startBot(
      { access: 'open', skills: [{ use: notesSkill, permissions: ['storage'] }] },
      { buttons: false },
    );
    const pressed: string[] = [];
    bot.use(async (context, next) => {
      if (context.message.kind === 'button') pressed.push(context.message.buttonData ?? '');
      await next();
    });
    const [choice] = await test.say('/choose');
    expect(choice?.text).toBe('Which one?\n\n1. Red\n2. Blue');
    expect(choice?.buttons).toBeUndefined();
    await test.say('2');
    expect(pressed).toEqual(['pick:blue']);
  });

  it('keeps message history in storage', async () => {
    const { bot, test } = await startBot({ access: 'open' });
    await test.say('/start', { name: 'Ann' });
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'user-1' });
    const chat = await bot.storage.chats.resolve(
      { platform: 'test', platformId: 'chat-user-1' },
      { type: 'private' },
    );
    const history = await bot.storage.messages.list(chat.id);
    expect(history.map((message) => [message.direction, message.text])).toEqual([
      ['in', '/start'],
      ['out', 'Hello, Ann! I am Botwire. Send /help to see what I can do.'],
    ]);
    expect(history[0]?.userId).toBe(user?.id);
  });

  it('replies with an error code instead of crashing when middleware throws', async () => {
    const { bot, test } = await startBot({ access: 'open' });
    bot.use((context) => {
      if (context.text === 'crash') throw new Error('kaboom');
    });
    expect((await test.say('crash'))[0]?.text).toMatch(
      /Something went wrong on my side \(BOTWIRE_INTERNAL\)/,
    );
    expect((await test.say('/whoami'))[0]?.text).toMatch(/Your id/);
  });

  it('processes messages of one chat in order even when earlier ones are slower', async () => {
    const { bot, test } = await startBot({ access: 'open' });
    const order: string[] = [];
    bot.use(async (context) => {
      if (context.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 80));
      order.push(context.text);
    });
    await Promise.all([
      test.say('slow'),
      test.say('fast'),
      test.say('other chat', { userId: 'bob' }),
    ]);
    expect(order.indexOf('slow')).toBeLessThan(order.indexOf('fast'));
    expect(order.indexOf('other chat')).toBeLessThan(order.indexOf('slow'));
  });
});

describe('bot runtime: language', () => {
  it('answers Cyrillic text in Russian when the platform reports no language', async () => {
    const { test } = await startBot({ access: 'open' });
    expect((await test.say('привет'))[0]?.text).toMatch(/Я пока этого не понимаю/);
    expect((await test.say('hello'))[0]?.text).toMatch(/I don't understand/);
  });

  it('keeps the language the platform reports over a guess', async () => {
    const { test } = await startBot({ access: 'open' });
    expect((await test.say('привет', { locale: 'en' }))[0]?.text).toMatch(/I don't understand/);
  });
});
