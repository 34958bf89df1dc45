import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { silentLogger } from '../logging/logger';
import { type Bot, createBot } from '../runtime/bot';
import type { InlineSkill } from '../skills/define-skill';
import { testAdapter } from '../testing/test-adapter';
import { type UsageState, usageState } from './budget-middleware';
import { checkModelBudget } from './usage-limits';

const echoSkill: InlineSkill = {
  manifest: {
    name: 'echo',
    version: '1.0.0',
    description: 'Echoes.',
    tools: [
      {
        name: 'echo_say',
        description: 'Says the text back.',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 3 } },
          required: ['text'],
        },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
      {
        name: 'echo_fail',
        description: 'Always fails.',
        input_schema: { type: 'object', properties: {} },
        permissions: [],
        side_effects: false,
        timeout_ms: 2000,
      },
    ],
    commands: [
      { name: 'echo', tool: 'echo_say', argument: 'text', description: 'echo' },
      { name: 'fail', tool: 'echo_fail', description: 'fail' },
    ],
  },
  definition: {
    tools: {
      echo_say: async ({ text }: { text: string }) => ({ text }),
      echo_fail: async () => {
        throw new Error('broken on purpose');
      },
    },
  },
};

const english = "You've reached today's message limit (2). It resets at midnight UTC.";
const russian = 'Вы исчерпали лимит сообщений на сегодня (2). Он обновится в полночь по UTC.';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(config: BotConfig, capabilities = {}) {
  const test = testAdapter(capabilities);
  const bot = createBot({
    config: { storage: 'memory', access: 'open', ...config },
    adapters: [test.adapter],
    log: silentLogger,
  });
  bots.push(bot);
  await bot.start();
  return { bot, test };
}

const text = async (replies: Promise<Array<{ text: string }>>) => (await replies)[0]?.text;

describe('budget middleware in the bot', () => {
  it('answers the third message of a guest with the limit reply, in English and in Russian', async () => {
    const { bot, test } = await startBot({ limits: { guest: { messagesPerDay: 2 } } });
    const reached: UsageState[] = [];
    bot.use((context, next) => {
      reached.push(usageState(context)!); // where the planner runs: never past the limit
      return next();
    });
    expect(await text(test.say('hello', { userId: 'ann' }))).toMatch(/don't understand/);
    expect(await text(test.say('again', { userId: 'ann' }))).toMatch(/don't understand/);
    expect(await text(test.say('third', { userId: 'ann' }))).toBe(english);
    expect(await text(test.say('/echo fourth', { userId: 'ann' }))).toBe(english);

    await test.say('привет', { userId: 'ivan', locale: 'ru' });
    await test.say('ещё раз', { userId: 'ivan', locale: 'ru' });
    expect(await text(test.say('в третий раз', { userId: 'ivan', locale: 'ru' }))).toBe(russian);
    expect(await text(test.say('снова', { userId: 'olga' }))).toMatch(/не понимаю/);
    await test.say('и снова', { userId: 'olga' });
    expect(await text(test.say('и опять', { userId: 'olga' }))).toBe(russian);

    expect(reached).toHaveLength(6);
    expect(reached[1]).toEqual({
      messages: 2,
      today: expect.any(Function),
      limits: { messagesPerDay: 2 },
      subject: 'guest',
    });
    expect(await reached[1]!.today()).toMatchObject({ messages: 2, modelCalls: 0 });
    const ann = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'ann' });
    expect((await bot.usage.today(ann!.id)).messages).toBe(2);
    expect(bot.usage.metricsText()).toMatch(
      /^botwire_limit_reached_total\{limit="messagesPerDay"\} 4$/m,
    );
  });

  it('still answers /help and /whoami past the limit, without counting them', async () => {
    const { bot, test } = await startBot({ limits: { guest: { messagesPerDay: 1 } } });
    for (let index = 0; index < 3; index++) {
      expect(await text(test.say('/help'))).toMatch(/what I can do/);
      expect(await text(test.say('/whoami'))).toMatch(/Role: none/);
    }
    expect(await text(test.say('hi'))).toMatch(/don't understand/);
    expect(await text(test.say('hi'))).toMatch(/today's message limit \(1\)/);
    expect(await text(test.say('/whoami'))).toMatch(/Role: none/);
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'user-1' });
    expect((await bot.usage.today(user!.id)).messages).toBe(1);
  });

  it('does not limit the owner unless the config gives the owner limits', async () => {
    const limits = { guest: { messagesPerDay: 2 } };
    const { test } = await startBot({ limits }, { localOperator: true });
    for (let index = 0; index < 5; index++) {
      expect(await text(test.say(`message ${index}`, { operator: true }))).toMatch(
        /don't understand/,
      );
    }
    expect(await text(test.say('/whoami', { operator: true }))).toMatch(/Role: owner/);

    const limited = await startBot(
      { limits: { ...limits, owner: { messagesPerDay: 1 } } },
      { localOperator: true },
    );
    await limited.test.say('one', { operator: true });
    expect(await text(limited.test.say('two', { operator: true }))).toMatch(/limit \(1\)/);
  });

  it('applies the limits of the user role to admitted users of a private bot', async () => {
    const { bot, test } = await startBot({
      access: 'owner',
      allow: ['test:friend'],
      limits: { user: { messagesPerDay: 1 } },
    });
    expect(bot.claimCode).toBeDefined();
    await test.say('hi', { userId: 'friend' });
    expect(await text(test.say('hi', { userId: 'friend' }))).toMatch(/limit \(1\)/);
    expect(await text(test.say('hi', { userId: 'stranger' }))).toMatch(/no owner yet/);
  });

  it('gives the planner what it needs to refuse a model call', async () => {
    const { bot, test } = await startBot({ limits: { guest: { modelCallsPerDay: 1 } } });
    const outcomes: unknown[] = [];
    bot.use(async (context) => {
      const budget = await checkModelBudget(bot.usage, bot.config.limits, context.user);
      outcomes.push(budget.ok);
      if (budget.ok) {
        await bot.usage.recordModelCall({
          userId: context.user.id,
          inputTokens: 10,
          outputTokens: 5,
          latencyMs: 3,
          ok: true,
        });
        await context.reply('model answer');
      } else await context.reply(context.t('limit.model_calls_reached', { limit: budget.max }));
    });
    expect(await text(test.say('first'))).toBe('model answer');
    expect(await text(test.say('second'))).toMatch(/limit of model requests \(1\)/);
    expect(await text(test.say('третий', { locale: 'ru' }))).toMatch(/лимит запросов к модели/);
    expect(outcomes).toEqual([true, false, false]);
  });

  it('records tool calls made through the bot, per user and per skill', async () => {
    const { bot, test } = await startBot({ skills: [{ use: echoSkill, permissions: [] }] });
    expect(await text(test.say('/echo hello there'))).toBe('hello there');
    expect(await text(test.say('/fail'))).toMatch(/broken on purpose/);
    await expect(bot.callTool('echo_missing', {})).rejects.toMatchObject({
      code: 'BOTWIRE_TOOL_NOT_FOUND',
    });
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'user-1' });
    expect(await bot.usage.today(user!.id)).toMatchObject({
      messages: 2,
      toolCalls: 2,
      toolErrors: 1,
    });
    expect(await bot.usage.forSkill('echo')).toMatchObject({ toolCalls: 2, toolErrors: 1 });
    const metrics = bot.usage.metricsText();
    expect(metrics).toContain(
      'botwire_tool_calls_total{skill="echo",tool="echo_say",outcome="ok"} 1',
    );
    expect(metrics).toContain(
      'botwire_tool_calls_total{skill="echo",tool="echo_fail",outcome="error"} 1',
    );
    expect(metrics).not.toContain('echo_missing');
    expect(metrics).toMatch(
      /^botwire_tool_call_duration_seconds_count\{skill="echo",tool="echo_say"\} 1$/m,
    );
  });

  it('is unavailable before init', () => {
    const bot = createBot({ config: { storage: 'memory' }, log: silentLogger });
    expect(() => bot.usage).toThrow(expect.objectContaining({ code: 'BOTWIRE_INVALID_ARGUMENT' }));
  });
});
