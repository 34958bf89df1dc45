import { afterEach, describe, expect, it } from 'vitest';
import type { BotConfig } from '../config/define-config';
import { silentLogger } from '../logging/logger';
import type { ChatModel } from '../ports/chat-model';
import { type ManualClock, manualClock } from '../scheduler/testing/manual-clock';
import type { InlineSkill, ToolScheduler } from '../skills/define-skill';
import { plannerTestSkills, type ToolLog } from '../testing/planner-test-skills';
import { scriptedChatModel } from '../testing/scripted-chat-model';
import { type DeliveredMessage, testAdapter } from '../testing/test-adapter';
import { readBackgroundRequest } from './background-request';
import { type Bot, createBot } from './bot';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

/** A skill with a long-running tool that makes a file (fixture, in process). */
function reportSkill(log: ToolLog): InlineSkill {
  return {
    manifest: {
      name: 'reports',
      version: '1.0.0',
      description: 'Builds long reports (fixture).',
      tools: [
        {
          name: 'report_build',
          description: 'Builds a long report on a topic as a file.',
          input_schema: {
            type: 'object',
            properties: { topic: { type: 'string', minLength: 2, maxLength: 200 } },
            required: ['topic'],
            additionalProperties: false,
          },
          permissions: [],
          side_effects: false,
          long_running: true,
          timeout_ms: 5000,
        },
      ],
      commands: [
        { name: 'report', tool: 'report_build', argument: 'topic', description: 'build a report' },
      ],
    },
    definition: {
      tools: {
        report_build: async ({ topic }: { topic: string }) => {
          log.calls.push({ tool: 'report_build', args: { topic }, at: Date.now() });
          return {
            text: `Report on ${topic} is ready.`,
            artifacts: [
              {
                name: 'report.txt',
                mimeType: 'text/plain',
                data: new TextEncoder().encode(`All about ${topic}`),
              },
            ],
          };
        },
      },
    },
  };
}

async function startBot(clock: ManualClock, model?: ChatModel) {
  const log: ToolLog = { calls: [] };
  const test = testAdapter({ buttons: true });
  const skills = [...plannerTestSkills(log), reportSkill(log)].map((use) => ({
    use,
    permissions: ['network' as const],
  }));
  const bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills },
    adapters: [test.adapter],
    log: silentLogger,
    clock,
    ...(model ? { model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { bot, test, log };
}

/** Lets due jobs run: the clock's timers fire, then the chain they start finishes. */
async function runDueJobs(clock: ManualClock, test: { delivered: DeliveredMessage[] }) {
  for (let round = 0; round < 20; round++) {
    const before = test.delivered.length;
    await clock.advance(10);
    await clock.settle();
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (round > 2 && test.delivered.length === before) return;
  }
}

const results = (test: { delivered: DeliveredMessage[] }) =>
  test.delivered.filter((message) => message.job !== undefined);

describe('background work', () => {
  it('"…, в фоне" answers at once that it is queued, then delivers the result to the same chat', async () => {
    const clock = manualClock(Date.now());
    const { test, log } = await startBot(clock);
    const [queued, ...more] = await test.say('найди котиков, в фоне', { userId: 'anna' });
    expect(more).toEqual([]);
    expect(queued?.text).toMatch(/^Поставил в очередь/);
    // No job id is shown to the user.
    expect(queued?.text).not.toMatch(/job_|[0-9a-f]{8}-/);
    expect(queued?.job).toBeUndefined();
    expect(log.calls).toEqual([]);
    await runDueJobs(clock, test);
    expect(log.calls.map((call) => [call.tool, call.args.query])).toEqual([
      ['web_search', 'котиков'],
    ]);
    const [result, ...others] = results(test);
    expect(others).toEqual([]);
    expect(result).toMatchObject({
      chatId: 'chat-anna',
      text: '2 results for котиков',
      job: { kind: 'background' },
    });
    const [jobs] = await test.say('/jobs', { userId: 'anna' });
    expect(jobs?.text).toMatch(/• найди котиков — done, /);
  });

  it('queues a plan with a long-running tool without being asked, and delivers its files', async () => {
    const clock = manualClock(Date.now());
    const { test, log } = await startBot(clock);
    const [queued] = await test.say('/report solar panels', { userId: 'ben' });
    expect(queued?.text).toMatch(/^Queued: I'm doing it in the background/);
    await runDueJobs(clock, test);
    expect(log.calls.map((call) => call.tool)).toEqual(['report_build']);
    const [result] = results(test);
    expect(result?.chatId).toBe('chat-ben');
    expect(result?.text).toBe('Report on solar panels is ready.');
    expect(result?.artifacts?.map((file) => file.name)).toEqual(['report.txt']);
    expect(new TextDecoder().decode(result?.artifacts?.[0]?.data)).toBe('All about solar panels');
  });

  it('runs a model plan queued in the background once, with one more call to compose the answer', async () => {
    const clock = manualClock(Date.now());
    const plan = {
      mode: 'plan',
      steps: [
        { id: 's1', tool: 'web_search', arguments: { query: 'heat pumps' } },
        { id: 's2', tool: 'web_fetch', arguments: { url: '{{s1.results[0].url}}' } },
      ],
      final: 'compose',
    };
    const model = scriptedChatModel([{ json: plan }, 'Heat pumps: the first page says a lot.']);
    const { test, log } = await startBot(clock, model);
    const [queued] = await test.say(
      'in the background, find heat pumps and read the first result',
      { userId: 'cat' },
    );
    expect(queued?.text).toMatch(/^Queued/);
    expect(model.requests).toHaveLength(1);
    // The model planned the request without the words that asked for the background.
    expect(JSON.stringify(model.requests[0]?.messages)).toContain(
      'find heat pumps and read the first result',
    );
    expect(JSON.stringify(model.requests[0]?.messages)).not.toContain('in the background');
    await runDueJobs(clock, test);
    expect(log.calls.map((call) => call.tool)).toEqual(['web_search', 'web_fetch']);
    expect(model.requests).toHaveLength(2);
    expect(results(test).map((message) => message.text)).toEqual([
      'Heat pumps: the first page says a lot.',
    ]);
  });

  it('"сделай это в фоне" alone takes the previous message as the work', async () => {
    const clock = manualClock(Date.now());
    const { test, log } = await startBot(clock);
    await test.say('найди тепловые насосы', { userId: 'dan' });
    const [queued] = await test.say('сделай это в фоне', { userId: 'dan' });
    expect(queued?.text).toMatch(/^Поставил в очередь/);
    await runDueJobs(clock, test);
    expect(log.calls.map((call) => call.args.query)).toEqual([
      'тепловые насосы',
      'тепловые насосы',
    ]);
    expect(results(test).map((message) => message.text)).toEqual(['2 results for тепловые насосы']);
  });

  it('asks what to do when there is nothing to run in the background, and queues nothing', async () => {
    const clock = manualClock(Date.now());
    const { test } = await startBot(clock);
    const [question] = await test.say('do it in the background', { userId: 'eve' });
    expect(question?.text).toMatch(/^What should I do in the background\?/);
    const [jobs] = await test.say('/jobs', { userId: 'eve' });
    expect(jobs?.text).toBe('You have no jobs or reminders.');
  });

  it('runs at once a command whose arguments are wrong, so the user hears it now', async () => {
    const clock = manualClock(Date.now());
    const { test, log } = await startBot(clock);
    const [reply] = await test.say('/report x', { userId: 'fay' });
    expect(reply?.text).not.toMatch(/^Queued/);
    expect(reply?.text).toMatch(/topic|2/);
    expect(log.calls).toEqual([]);
    const [jobs] = await test.say('/jobs', { userId: 'fay' });
    expect(jobs?.text).toBe('You have no jobs or reminders.');
  });
});

/** A skill whose tool runs a message later as the user (`context.schedule.remind`, `action: 'run'`). */
function laterSkill(): InlineSkill {
  return {
    manifest: {
      name: 'later',
      version: '1.0.0',
      description: 'Runs a message later (fixture).',
      tools: [
        {
          name: 'later_run',
          description: 'Runs a message in some minutes.',
          input_schema: {
            type: 'object',
            properties: { text: { type: 'string', minLength: 1 }, minutes: { type: 'number' } },
            required: ['text', 'minutes'],
            additionalProperties: false,
          },
          permissions: ['schedule'],
          side_effects: true,
          timeout_ms: 5000,
        },
      ],
    },
    definition: {
      tools: {
        later_run: async (
          { text, minutes }: { text: string; minutes: number },
          context: { schedule: ToolScheduler },
        ) => {
          const job = await context.schedule.remind({
            text,
            runAt: new Date(Date.now() + minutes * 60_000),
            action: 'run',
          });
          return { text: 'Scheduled.', data: { id: job.id } };
        },
      },
    },
  };
}

async function startScheduling(clock: ManualClock, config: Partial<BotConfig> = {}) {
  const log: ToolLog = { calls: [] };
  const test = testAdapter();
  const bot = createBot({
    config: {
      storage: 'memory',
      http: false,
      skills: [
        ...plannerTestSkills(log).map((use) => ({ use, permissions: ['network' as const] })),
        { use: laterSkill(), permissions: ['schedule' as const] },
      ],
      ...config,
    },
    adapters: [test.adapter],
    log: silentLogger,
    clock,
  });
  bots.push(bot);
  await bot.start();
  return { bot, test, log };
}

const minute = 60_000;

describe('scheduled tasks', () => {
  it('runs the planner at fire time as the user and sends what comes of it to their chat', async () => {
    const clock = manualClock(Date.now());
    const { bot, test, log } = await startScheduling(clock, { access: 'open' });
    const user = await bot.storage.users.resolve({ platform: 'test', platformId: 'hal' }, {});
    const chat = await bot.storage.chats.resolve(
      { platform: 'test', platformId: 'chat-hal' },
      { type: 'private' },
    );
    await bot.callTool('later_run', { text: 'search for otters', minutes: 5 }, { user, chat });
    await clock.advance(4 * minute);
    await clock.settle();
    expect(log.calls).toEqual([]);
    await clock.advance(2 * minute);
    await runDueJobs(clock, test);
    expect(log.calls.map((call) => call.args.query)).toEqual(['otters']);
    expect(results(test)).toMatchObject([
      { chatId: 'chat-hal', text: '2 results for otters', job: { kind: 'scheduled' } },
    ]);
  });

  it("counts against the user's daily budget: past it, the task is not run and the user is told", async () => {
    const clock = manualClock(Date.now());
    const { bot, test, log } = await startScheduling(clock, {
      access: 'open',
      limits: { guest: { messagesPerDay: 1 } },
    });
    const user = await bot.storage.users.resolve({ platform: 'test', platformId: 'ida' }, {});
    const chat = await bot.storage.chats.resolve(
      { platform: 'test', platformId: 'chat-ida' },
      { type: 'private' },
    );
    await bot.callTool('later_run', { text: 'search for owls', minutes: 1 }, { user, chat });
    await test.say('hello', { userId: 'ida' });
    await clock.advance(2 * minute);
    await runDueJobs(clock, test);
    expect(log.calls).toEqual([]);
    const [told] = results(test);
    expect(told?.chatId).toBe('chat-ida');
    expect(told?.text).toMatch(/limit|1/i);
  });

  it('drops the task of a user who lost access before it ran, and tells nobody', async () => {
    const clock = manualClock(Date.now());
    const { bot, test, log } = await startScheduling(clock);
    const resolved = await bot.storage.users.resolve({ platform: 'test', platformId: 'gus' }, {});
    const gus = await bot.storage.users.update(resolved.id, { role: 'user' });
    const chat = await bot.storage.chats.resolve(
      { platform: 'test', platformId: 'chat-gus' },
      { type: 'private' },
    );
    await bot.callTool('later_run', { text: 'search for otters', minutes: 1 }, { user: gus, chat });
    await bot.storage.users.update(gus.id, { role: null });
    const before = test.delivered.length;
    await clock.advance(2 * minute);
    await runDueJobs(clock, test);
    expect(log.calls).toEqual([]);
    expect(test.delivered.slice(before)).toEqual([]);
  });
});

describe('readBackgroundRequest', () => {
  it.each([
    ['найди котиков, в фоне', 'найди котиков'],
    ['найди отчёты и сделай pdf — сделай это в фоне', 'найди отчёты и сделай pdf'],
    ['В фоне: найди отчёты о насосах', 'найди отчёты о насосах'],
    ['в фоновом режиме собери сводку новостей', 'собери сводку новостей'],
    ['search for otters in the background', 'search for otters'],
    ['In the background, crawl the docs', 'crawl the docs'],
    ['make a PDF of the report, do it in the background please', 'make a PDF of the report'],
    ['run this as a background job: /report pumps', '/report pumps'],
  ])('%s → %s', (text, rest) => {
    expect(readBackgroundRequest(text)).toEqual({ text: rest, refersBack: false });
  });

  it.each(['сделай это в фоне', 'Do it in the background.', 'в фоне', 'run it in the background'])(
    '%s refers back to the previous message',
    (text) => {
      expect(readBackgroundRequest(text)).toEqual({ text: '', refersBack: true });
    },
  );

  it.each([
    'what runs in the background?',
    'что работает в фоне?',
    'the background of the painting is blue',
    'расскажи о фоне картины',
    'в фонтане плавают рыбы',
    'найди котиков',
  ])('%s is not a request', (text) => {
    expect(readBackgroundRequest(text)).toBeUndefined();
  });
});
