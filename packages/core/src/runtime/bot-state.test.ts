import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { silentLogger } from '../logging/logger';
import type { Middleware } from '../middleware/composer';
import type { ChatModel } from '../ports/chat-model';
import type { InlineSkill } from '../skills/define-skill';
import { plannerTestSkills, type ToolLog } from '../testing/planner-test-skills';
import { scriptedChatModel } from '../testing/scripted-chat-model';
import { type TestAdapter, testAdapter } from '../testing/test-adapter';
import { type Bot, createBot } from './bot';
import type { BotContext } from './bot-context';

const bots: Bot[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'botwire-state-'));
  folders.push(folder);
  return folder;
}

/** A bot on SQLite in `dir`: a second call on the same folder is "after a restart" or "another process". */
async function sqliteBot(
  dir: string,
  options: { config?: BotConfig; model?: ChatModel; capabilities?: object; log?: ToolLog } = {},
) {
  const log = options.log ?? { calls: [] };
  const test = testAdapter({ buttons: true, ...options.capabilities });
  const terminal: string[] = [];
  const bot = createBot({
    config: {
      storage: 'sqlite',
      access: 'open',
      skills: plannerTestSkills(log).map((use) => ({ use, permissions: ['network' as const] })),
      ...options.config,
    },
    dataDir: dir,
    adapters: [test.adapter],
    log: silentLogger,
    terminal: { write: (text) => terminal.push(text) },
    ...(options.model ? { model: options.model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, test, log, terminal };
}

/** Every text value stored in the bot's database, for "nothing of it was stored" checks. */
function everythingStored(dir: string): string {
  const database = new Database(join(dir, 'botwire.db'), { readonly: true });
  try {
    const tables = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all() as Array<{ name: string }>;
    return tables
      .map(({ name }) => JSON.stringify(database.prepare(`SELECT * FROM "${name}"`).all()))
      .join('\n');
  } finally {
    database.close();
  }
}

const fetchThenSave = {
  mode: 'plan',
  steps: [
    { id: 's1', tool: 'web_fetch', arguments: { url: 'https://example.org/page' } },
    { id: 's2', tool: 'note_save', arguments: { text: '{{s1.text}}' } },
  ],
  final: 'compose',
};

describe('state in storage: confirmations', () => {
  it('resumes a confirmation asked before a restart, and runs the step once', async () => {
    const dir = dataDir();
    const log: ToolLog = { calls: [] };
    const model = scriptedChatModel([{ json: fetchThenSave }, 'Saved the page.']);
    const first = await sqliteBot(dir, { model, log });
    const [ask] = await first.test.say('save that page as a note');
    expect(ask?.text).toMatch(/would run note_save/);
    await first.bot.stop();

    const second = await sqliteBot(dir, { model, log });
    const [done] = await second.test.say('yes');
    expect(done?.text).toBe('Saved the page.');
    // A second "yes" finds nothing waiting: the planner treats it as a new message.
    await second.test.say('yes');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch', 'note_save']);
  });

  it('runs a confirmed step once when two processes get the same "yes"', async () => {
    const dir = dataDir();
    const log: ToolLog = { calls: [] };
    const model = scriptedChatModel([{ json: fetchThenSave }, 'Saved.', 'Plain answer.']);
    const one = await sqliteBot(dir, { model, log });
    const two = await sqliteBot(dir, { model, log });
    const [ask] = await one.test.say('save that page as a note');
    const yes = ask!.buttons![0]![0]!.data!;
    await Promise.all([one.test.press(yes), two.test.press(yes)]);
    expect(log.calls.filter((call) => call.tool === 'note_save')).toHaveLength(1);
  });

  it('in a group, only the member who was asked can confirm', async () => {
    const dir = dataDir();
    const log: ToolLog = { calls: [] };
    const model = scriptedChatModel([
      { json: fetchThenSave },
      { json: { mode: 'answer', answer: 'Yes to what, Bob?' } },
      'Saved.',
    ]);
    const { test } = await sqliteBot(dir, { model, log });
    const group = { chatId: 'group-1' };
    const [ask] = await test.say('save that page', { ...group, userId: 'ann' });
    expect(ask?.text).toMatch(/would run note_save/);
    expect((await test.say('yes', { ...group, userId: 'bob' }))[0]?.text).toBe('Yes to what, Bob?');
    await test.press(ask!.buttons![0]![0]!.data!, { ...group, userId: 'bob' });
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch']);
    const [done] = await test.say('yes', { ...group, userId: 'ann' });
    expect(done?.text).toBe('Saved.');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch', 'note_save']);
  });
});

const choiceSkill: InlineSkill = {
  manifest: {
    name: 'choice',
    version: '1.0.0',
    description: 'Offers a choice.',
    tools: [
      {
        name: 'offer',
        description: 'Offers two colours.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
    ],
    commands: [{ name: 'choose', tool: 'offer', description: 'offer a choice' }],
  },
  definition: {
    tools: {
      offer: async () => ({
        text: 'Which one?',
        buttons: [
          [
            { label: 'Red', data: 'pick:red' },
            { label: 'Blue', data: 'pick:blue' },
          ],
        ],
      }),
    },
  },
};

describe('state in storage: numbered options, owner token, claim code', () => {
  it('answers a numbered option after a restart', async () => {
    const dir = dataDir();
    const pressed: string[] = [];
    const config: BotConfig = {
      skills: [{ use: choiceSkill }],
      middleware: [
        async (context, next) => {
          if (context.message.kind === 'button') {
            pressed.push(context.message.buttonData ?? '');
            await context.reply(`picked ${context.message.buttonData}`);
            return;
          }
          await next();
        },
      ],
    };
    const first = await sqliteBot(dir, { config, capabilities: { buttons: false } });
    const [offer] = await first.test.say('/choose');
    expect(offer?.text).toContain('2. Blue');
    await first.bot.stop();
    const second = await sqliteBot(dir, { config, capabilities: { buttons: false } });
    expect((await second.test.say('2'))[0]?.text).toBe('picked pick:blue');
    // Used once: the next "2" is an ordinary message.
    await second.test.say('2');
    expect(pressed).toEqual(['pick:blue']);
  });

  it('keeps the web owner token across restarts until /token makes a new one', async () => {
    const dir = dataDir();
    const config: BotConfig = { http: { port: 0 } };
    const first = await sqliteBot(dir, { config });
    const token = first.bot.http().token;
    expect(first.terminal.join('')).toContain(`Owner API token: ${token}`);
    await first.bot.stop();
    const second = await sqliteBot(dir, { config });
    expect(second.bot.http().token).toBe(token);
    const [reply] = await second.test.say('/token', { userId: 'owner-1' });
    // Not the owner (an open bot admits everyone as a guest): refused.
    expect(reply?.text).toMatch(/Only owner/);
  });

  it('stores the claim code only as a hash, and a restart makes a new code', async () => {
    const dir = dataDir();
    const first = await sqliteBot(dir, { config: { access: 'owner' } });
    const code = first.bot.claimCode!;
    expect(first.terminal.join('')).toContain(code);
    expect(everythingStored(dir)).not.toContain(code);
    expect(everythingStored(dir)).not.toContain(code.replace(/-/g, ''));
    await first.bot.stop();
    const second = await sqliteBot(dir, { config: { access: 'owner' } });
    expect(second.bot.claimCode).not.toBe(code);
    expect((await second.test.say(code, { userId: 'ann' }))[0]?.text).toMatch(/not right/);
    const [claimed] = await second.test.say(second.bot.claimCode!, { userId: 'ann' });
    expect(claimed?.text).toMatch(/You are now the owner/);
  });

  it('lets each of two running processes show a code that works, and ends both at the first claim', async () => {
    const dir = dataDir();
    const one = await sqliteBot(dir, { config: { access: 'owner' } });
    const two = await sqliteBot(dir, { config: { access: 'owner' } });
    expect(one.bot.claimCode).toBeDefined();
    expect(two.bot.claimCode).toBeDefined();
    const [codeOne, codeTwo] = [one.bot.claimCode!, two.bot.claimCode!];
    expect(codeTwo).not.toBe(codeOne);
    const [claimed] = await two.test.say(codeOne, { userId: 'ann' });
    expect(claimed?.text).toMatch(/You are now the owner/);
    expect((await one.test.say(codeTwo, { userId: 'bob' }))[0]?.text).not.toMatch(
      /You are now the owner/,
    );
    expect((await one.test.say('/whoami', { userId: 'ann' }))[0]?.text).toMatch(/Role: owner/);
  });

  it('stops listening to a user after five wrong codes, across a restart', async () => {
    const dir = dataDir();
    const first = await sqliteBot(dir, { config: { access: 'owner' } });
    for (let attempt = 0; attempt < 5; attempt += 1)
      await first.test.say('111-111-111', { userId: 'mallory' });
    await first.bot.stop();
    const second = await sqliteBot(dir, { config: { access: 'owner' } });
    const [reply] = await second.test.say(second.bot.claimCode!, { userId: 'mallory' });
    expect(reply?.text).toMatch(/not right/);
    expect((await second.test.say('/whoami', { userId: 'mallory' }))[0]?.text).not.toMatch(
      /Role: owner/,
    );
  });
});

describe('a private bot and strangers', () => {
  it("stores no text and no history of a stranger's message", async () => {
    const dir = dataDir();
    const { bot, test } = await sqliteBot(dir, { config: { access: 'owner' } });
    await test.say(bot.claimCode!, { userId: 'owner' });
    const marker = 'ZEBRA-secret-marker-41';
    const [reply] = await test.say(`hello, my card is ${marker}`, {
      userId: 'stranger',
      name: 'Stan',
    });
    expect(reply?.text).toMatch(/private/);
    await test.say(`/note ${marker}`, { userId: 'stranger' });
    await bot.stop();
    const stored = everythingStored(dir);
    expect(stored).not.toContain(marker);
    // What the owner needs to approve them is there: their name.
    expect(stored).toContain('Stan');
  });
});

describe('per-chat ordering across processes', () => {
  it('never runs two messages of one chat at once, with two bots on one SQLite file', async () => {
    const dir = dataDir();
    const spans: Array<{ text: string; start: number; end: number }> = [];
    const slow: Middleware<BotContext> = async (context) => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 30));
      spans.push({ text: context.text, start, end: performance.now() });
      await context.reply(`done ${context.text}`);
    };
    const config: BotConfig = { middleware: [slow] };
    const one = await sqliteBot(dir, { config });
    const two = await sqliteBot(dir, { config });
    const from = { userId: 'ann', chatId: 'shared-chat' };
    const sends: Array<Promise<unknown>> = [];
    for (let index = 0; index < 6; index += 1) {
      const bot: TestAdapter = index % 2 === 0 ? one.test : two.test;
      sends.push(bot.say(`m${index}`, from));
    }
    await Promise.all(sends);
    expect(spans).toHaveLength(6);
    const ordered = [...spans].sort((a, b) => a.start - b.start);
    for (let index = 1; index < ordered.length; index += 1)
      expect(ordered[index]!.start).toBeGreaterThanOrEqual(ordered[index - 1]!.end);
    // Within each process the order of arrival holds.
    const order = ordered.map((span) => span.text);
    expect(order.filter((text) => ['m0', 'm2', 'm4'].includes(text))).toEqual(['m0', 'm2', 'm4']);
    expect(order.filter((text) => ['m1', 'm3', 'm5'].includes(text))).toEqual(['m1', 'm3', 'm5']);
  });

  it('holds a chat lease in storage that processes share, and none on memory storage', async () => {
    const leasesSeen: Record<string, number> = {};
    const peek: Middleware<BotContext> = async (context) => {
      const leases = await context.services.storage.kv.list('runtime', { prefix: 'chat-lease:' });
      leasesSeen[context.services.storage.name] = leases.length;
      await context.reply('ok');
    };
    const onFile = await sqliteBot(dataDir(), { config: { middleware: [peek] } });
    await onFile.test.say('hello');
    const test = testAdapter();
    const inMemory = createBot({
      config: { storage: 'memory', access: 'open', middleware: [peek] },
      adapters: [test.adapter],
      log: silentLogger,
    });
    bots.push(inMemory);
    await inMemory.start();
    await test.say('hello');
    expect(leasesSeen).toEqual({ sqlite: 1, memory: 0 });
  });
});
