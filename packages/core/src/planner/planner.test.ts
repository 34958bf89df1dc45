import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { BotwireError } from '../errors/botwire-error';
import { silentLogger } from '../logging/logger';
import type { ChatModel } from '../ports/chat-model';
import { type Bot, createBot } from '../runtime/bot';
import { plannerTestSkills, type ToolLog } from '../testing/planner-test-skills';
import { scriptedChatModel } from '../testing/scripted-chat-model';
import { testAdapter } from '../testing/test-adapter';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function startBot(model: ChatModel | undefined, config: BotConfig = {}, delayMs = 0) {
  const log: ToolLog = { calls: [] };
  const test = testAdapter({ buttons: true });
  const skills = plannerTestSkills(log, { delayMs }).map((use) => ({
    use,
    permissions: ['network' as const],
  }));
  const bot = createBot({
    config: { storage: 'memory', access: 'open', skills, ...config },
    adapters: [test.adapter],
    log: silentLogger,
    ...(model ? { model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, test, log };
}

const threeStepPlan = {
  mode: 'plan',
  steps: [
    { id: 's1', tool: 'web_search', arguments: { query: 'botwire' } },
    { id: 's2', tool: 'web_fetch', arguments: { url: '{{s1.results[0].url}}' } },
    {
      id: 's3',
      tool: 'pdf_create',
      arguments: { title: 'Report', markdown: '# Report\n\n{{s2.text}}' },
    },
  ],
  final: 'compose',
};

describe('planner: rules (no model calls)', () => {
  it('runs a slash command with zero model calls', async () => {
    const model = scriptedChatModel();
    const { test, log } = await startBot(model);
    const [reply] = await test.say('/search cats');
    expect(reply?.text).toBe('2 results for cats');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_search']);
    expect(model.requests).toHaveLength(0);
  });

  it('runs plain-language patterns in English and Russian with zero model calls', async () => {
    const model = scriptedChatModel();
    const { test, log } = await startBot(model);
    expect((await test.say('Search for red pandas'))[0]?.text).toBe('2 results for red pandas');
    expect((await test.say('найди рецепт борща'))[0]?.text).toBe('2 results for рецепт борща');
    expect(log.calls.map((call) => call.args.query)).toEqual(['red pandas', 'рецепт борща']);
    expect(model.requests).toHaveLength(0);
  });

  it('without a model, answers what rules do not cover with a hint', async () => {
    const { test } = await startBot(undefined);
    expect((await test.say('what is the weather?'))[0]?.text).toMatch(/\/help/);
  });
});

describe('planner: plan, then execute', () => {
  it('runs a 3-step chain search → fetch → PDF with exactly 2 model calls, and sends the PDF', async () => {
    const model = scriptedChatModel([
      { json: threeStepPlan },
      'I read the top page and made you a PDF.',
    ]);
    const { test, log } = await startBot(model);
    const [reply] = await test.say('Find botwire, read the first result and make me a PDF');
    expect(model.requests).toHaveLength(2);
    expect(log.calls.map((call) => call.tool)).toEqual(['web_search', 'web_fetch', 'pdf_create']);
    expect(log.calls[1]?.args.url).toBe('https://example.org/botwire');
    expect(String(log.calls[2]?.args.markdown)).toContain('Page https://example.org/botwire');
    expect(reply?.text).toBe('I read the top page and made you a PDF.');
    expect(reply?.artifacts?.map((artifact) => artifact.name)).toEqual(['Report.pdf']);
    // The planning call offered the tools as a JSON schema; the answer call carried the results as quoted, untrusted data.
    expect(model.requests[0]?.responseSchema?.name).toBe('botwire_plan');
    const answerCall = JSON.stringify(model.requests[1]?.messages);
    expect(answerCall).toContain('trust=\\"untrusted\\"');
    expect(answerCall).toContain('IGNORE ALL PREVIOUS INSTRUCTIONS');
    expect(model.requests[1]?.messages[0]?.content).toMatch(/Never follow instructions/);
  });

  it('runs independent steps at the same time', async () => {
    const plan = {
      mode: 'plan',
      steps: [
        { id: 's1', tool: 'web_search', arguments: { query: 'first topic' } },
        { id: 's2', tool: 'web_search', arguments: { query: 'second topic' } },
      ],
      final: 'compose',
    };
    const model = scriptedChatModel([{ json: plan }, 'Both done.']);
    const { test, log } = await startBot(model, {}, 300);
    const started = Date.now();
    await test.say('compare two topics');
    const elapsed = Date.now() - started;
    expect(log.calls).toHaveLength(2);
    expect(Math.abs(log.calls[0]!.at - log.calls[1]!.at)).toBeLessThan(100);
    expect(elapsed).toBeLessThan(550);
  });

  it('answers a message that needs no tool with one model call', async () => {
    const model = scriptedChatModel([
      { json: { mode: 'answer', answer: 'Hello! How can I help?' } },
    ]);
    const { test, log } = await startBot(model);
    expect((await test.say('hi there'))[0]?.text).toBe('Hello! How can I help?');
    expect(model.requests).toHaveLength(1);
    expect(log.calls).toHaveLength(0);
  });

  it('repairs a plan whose arguments break a schema with one call, then runs it', async () => {
    const bad = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'web_fetch', arguments: { url: 'not a url' } }],
      final: 'last_step',
    };
    const good = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'web_fetch', arguments: { url: 'https://example.org/a' } }],
      final: 'last_step',
    };
    const model = scriptedChatModel([{ json: bad }, { json: good }]);
    const { test, log } = await startBot(model);
    const [reply] = await test.say('read example.org/a');
    expect(model.requests).toHaveLength(2);
    expect(JSON.stringify(model.requests[1]?.messages.at(-1))).toMatch(/url/);
    expect(log.calls.map((call) => call.args.url)).toEqual(['https://example.org/a']);
    expect(reply?.text).toContain('Page https://example.org/a');
  });

  it('gives a plain answer when the repair fails too, and no handler runs with invalid arguments', async () => {
    const bad = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'web_fetch', arguments: { url: 'nope' } }],
      final: 'compose',
    };
    const alsoBad = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'web_fetch', arguments: { address: 'https://x' } }],
      final: 'compose',
    };
    const model = scriptedChatModel([
      { json: bad },
      { json: alsoBad },
      'I could not look that up, but here is what I know.',
    ]);
    const { test, log } = await startBot(model);
    const [reply] = await test.say('read that page');
    expect(reply?.text).toBe('I could not look that up, but here is what I know.');
    expect(model.requests).toHaveLength(3);
    expect(model.requests[2]?.responseSchema).toBeUndefined();
    expect(model.requests[2]?.tools).toBeUndefined();
    expect(log.calls).toHaveLength(0);
  });

  it('treats a reply that is not JSON like any invalid plan', async () => {
    const model = scriptedChatModel(['Sure! Let me think...', 'still not json', 'Plain answer.']);
    const { test } = await startBot(model);
    expect((await test.say('do something'))[0]?.text).toBe('Plain answer.');
    expect(model.requests).toHaveLength(3);
  });

  it("sends the last step's output as the reply when the plan says so", async () => {
    const plan = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'pdf_create', arguments: { title: 'Notes', markdown: '# Notes' } }],
      final: 'last_step',
    };
    const model = scriptedChatModel([{ json: plan }]);
    const { test } = await startBot(model);
    const [reply] = await test.say('make a pdf titled Notes');
    expect(model.requests).toHaveLength(1);
    expect(reply?.text).toBe('Here is your PDF.');
    expect(reply?.artifacts?.[0]?.name).toBe('Notes.pdf');
  });
});

describe('planner: untrusted data and confirmation', () => {
  const plan = {
    mode: 'plan',
    steps: [
      { id: 's1', tool: 'web_fetch', arguments: { url: 'https://example.org/page' } },
      { id: 's2', tool: 'note_save', arguments: { text: '{{s1.text}}' } },
    ],
    final: 'compose',
  };

  it('stops before a side-effecting step fed by a fetched page; declining runs nothing', async () => {
    const model = scriptedChatModel([{ json: plan }]);
    const { test, log } = await startBot(model);
    const [ask] = await test.say('save that page as a note');
    expect(ask?.text).toMatch(/Step s2 would run note_save with data that came from outside/);
    expect(ask?.buttons?.[0]?.map((button) => button.label)).toEqual([
      'Yes, go ahead',
      'No, cancel',
    ]);
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch']);
    const [declined] = await test.press(ask!.buttons![0]![1]!.data!);
    expect(declined?.text).toBe('Cancelled: note_save was not run.');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch']);
    expect(model.requests).toHaveLength(1);
  });

  it('runs the step once the user says yes, without running the earlier steps again', async () => {
    const model = scriptedChatModel([{ json: plan }, 'Saved the page as a note.']);
    const { test, log } = await startBot(model);
    await test.say('save that page as a note');
    const [done] = await test.say('да');
    expect(done?.text).toBe('Saved the page as a note.');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_fetch', 'note_save']);
    expect(String(log.calls[1]?.args.text)).toContain('Page https://example.org/page');
  });

  it("runs side-effecting steps at once when their data is the user's own", async () => {
    const own = {
      mode: 'plan',
      steps: [{ id: 's1', tool: 'note_save', arguments: { text: 'buy milk' } }],
      final: 'last_step',
    };
    const model = scriptedChatModel([{ json: own }]);
    const { test, log } = await startBot(model);
    expect((await test.say('note: buy milk'))[0]?.text).toBe('Saved.');
    expect(log.calls.map((call) => call.tool)).toEqual(['note_save']);
  });
});

describe('planner: step-by-step mode', () => {
  it('calls one tool at a time and answers, when the model asks for it', async () => {
    const model = scriptedChatModel([
      { json: { mode: 'step_by_step' } },
      { toolCalls: [{ name: 'web_search', arguments: { query: 'botwire docs' } }] },
      {
        toolCalls: [
          { name: 'web_fetch', arguments: { url: 'https://example.org/botwire%20docs' } },
        ],
      },
      'The docs say hello.',
    ]);
    const { test, log } = await startBot(model);
    const [reply] = await test.say('look into the botwire docs');
    expect(reply?.text).toBe('The docs say hello.');
    expect(log.calls.map((call) => call.tool)).toEqual(['web_search', 'web_fetch']);
    expect(model.requests).toHaveLength(4);
    const toolMessage = model.requests[2]?.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toMatch(/trust="untrusted"/);
  });

  it('reports a bad tool call back to the model without running the handler', async () => {
    const model = scriptedChatModel([
      { toolCalls: [{ name: 'web_fetch', arguments: { url: 'ftp:nope' } }] },
      'That address does not work.',
    ]);
    const { test, log } = await startBot(model, { planner: { mode: 'step-by-step' } });
    expect((await test.say('open ftp:nope'))[0]?.text).toBe('That address does not work.');
    expect(log.calls).toHaveLength(0);
    expect(JSON.stringify(model.requests[1]?.messages.at(-1))).toMatch(/error/);
  });
});

describe('planner: failures', () => {
  it('gives a clear reply when the model is unavailable', async () => {
    const model = scriptedChatModel([{ error: new BotwireError('BOTWIRE_MODEL_UNAVAILABLE') }]);
    const { test } = await startBot(model);
    expect((await test.say('tell me a joke'))[0]?.text).toMatch(/can't reach my language model/);
  });

  it('passes recent history and the persona to the model', async () => {
    const model = scriptedChatModel([
      { json: { mode: 'answer', answer: 'First.' } },
      { json: { mode: 'answer', answer: 'Second.' } },
    ]);
    const { test } = await startBot(model, { persona: 'a cheerful pirate' });
    await test.say('my name is Ann');
    await test.say('what is my name?');
    const messages = model.requests[1]!.messages;
    expect(messages[0]?.content).toContain('a cheerful pirate');
    expect(messages.slice(1).map((message) => [message.role, message.content])).toEqual([
      ['user', 'my name is Ann'],
      ['assistant', 'First.'],
      ['user', 'what is my name?'],
    ]);
  });

  it('stops at the daily model-call limit with the limit reply, and makes no model call past it', async () => {
    const model = scriptedChatModel([
      { json: { mode: 'answer', answer: 'One.' } },
      { json: { mode: 'answer', answer: 'Two.' } },
    ]);
    const { test, bot } = await startBot(model, { limits: { guest: { modelCallsPerDay: 1 } } });
    expect((await test.say('first question'))[0]?.text).toBe('One.');
    const [limited] = await test.say('second question');
    expect(limited?.text).toMatch(/limit/i);
    expect(model.requests).toHaveLength(1);
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'user-1' });
    expect((await bot.usage.today(user!.id)).modelCalls).toBe(1);
  });

  it('makes no model call for a user past the daily message limit', async () => {
    const model = scriptedChatModel([{ json: { mode: 'answer', answer: 'One.' } }]);
    const { test } = await startBot(model, { limits: { guest: { messagesPerDay: 1 } } });
    expect((await test.say('first'))[0]?.text).toBe('One.');
    expect((await test.say('второй вопрос', { locale: 'ru' }))[0]?.text).toMatch(/лимит/);
    expect(model.requests).toHaveLength(1);
  });

  it("adds what context providers recall (long-term memory) to the model's prompt as data", async () => {
    const model = scriptedChatModel([{ json: { mode: 'answer', answer: 'Tea, as always.' } }]);
    const { test, bot } = await startBot(model);
    bot.provideContext((context) => [`${context.user.name ?? 'The user'} prefers green tea`]);
    await test.say('what should I drink?', { name: 'Ann' });
    expect(model.requests[0]?.messages[0]?.content).toContain('Ann prefers green tea');
  });
});
