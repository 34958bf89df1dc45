import { type Bot, type ChatModel, createBot, silentLogger } from '@botwire/core';
import {
  type ManualClock,
  manualClock,
  scriptedChatModel,
  testAdapter,
} from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cronSource } from './testing/cron-source';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function start(clock: ManualClock, model?: ChatModel) {
  const test = testAdapter();
  const bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills: [cronSource()] },
    adapters: [test.adapter],
    log: silentLogger,
    clock,
    ...(model ? { model } : {}),
  });
  bots.push(bot);
  await bot.start();
  return { test, bot };
}

const minute = 60_000;

describe('reminders through the job queue (fake clock)', () => {
  it('"напомни через 2 минуты выпить воды" is delivered once, to the chat it was set in', async () => {
    const clock = manualClock(Date.now());
    const { test } = await start(clock);
    const [set] = await test.say('напомни через 2 минуты выпить воды', { userId: 'anna' });
    expect(set?.text).toMatch(
      /^Напомню: выпить воды — \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Moscow\)\.$/,
    );
    await clock.advance(minute);
    expect(test.delivered.filter((message) => message.text.startsWith('⏰'))).toEqual([]);
    // The tool read the real time a moment after the clock started: leave it a margin.
    await clock.advance(minute + 30_000);
    await clock.settle();
    const reminders = test.delivered.filter((message) => message.text.startsWith('⏰'));
    expect(reminders.map((message) => [message.chatId, message.text])).toEqual([
      ['chat-anna', '⏰ выпить воды'],
    ]);
    await clock.advance(10 * minute);
    expect(test.delivered.filter((message) => message.text.startsWith('⏰'))).toHaveLength(1);
  });

  it('lists and cancels only the user’s own reminders; a cancelled one never fires', async () => {
    const clock = manualClock(Date.now());
    const { test } = await start(clock);
    await test.say('remind me in 5 minutes to stretch', { userId: 'ben' });
    await test.say('remind me in 5 minutes to drink tea', { userId: 'cat' });
    const [listed] = await test.say('/reminders', { userId: 'ben' });
    expect(listed?.text).toContain('stretch');
    expect(listed?.text).not.toContain('drink tea');
    const cancel = listed?.buttons?.[0]?.[0]?.data;
    expect(cancel).toMatch(/^\/reminder_cancel /);
    const [catList] = await test.say('/reminders', { userId: 'cat' });
    const catId = /\(([^()\s]+)\)$/.exec(catList!.text.split('\n')[1]!)?.[1];
    const [refused] = await test.say(`/reminder_cancel ${catId}`, { userId: 'ben' });
    expect(refused?.text).toContain('no reminder');
    const [cancelled] = await test.press(cancel!, { userId: 'ben' });
    expect(cancelled?.text).toBe('Reminder cancelled.');
    await clock.advance(6 * minute);
    await clock.settle();
    const fired = test.delivered.filter((message) => message.text.startsWith('⏰'));
    expect(fired.map((message) => [message.chatId, message.text])).toEqual([
      ['chat-cat', '⏰ drink tea'],
    ]);
  });

  it('sets a recurring reminder by its rule, in the user’s time zone', async () => {
    const clock = manualClock(Date.now());
    const { test, bot } = await start(clock);
    const [set] = await test.say('напомни каждый день в 9 зарядка', { userId: 'dan' });
    expect(set?.text).toMatch(
      /^Буду напоминать: зарядка — впервые \d{4}-\d\d-\d\d 09:00 \(Europe\/Moscow\)/,
    );
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'dan' });
    const result = (await bot.callTool('reminder_list', {}, { user: user! })) as {
      data: { reminders: Array<{ task: string; next: string; recurring: boolean }> };
    };
    expect(result.data.reminders).toHaveLength(1);
    expect(result.data.reminders[0]).toMatchObject({ task: 'зарядка', recurring: true });
    expect(result.data.reminders[0]!.next).toMatch(/T09:00:00\+03:00$/);
  });

  it('asks back when the time is unclear, and refuses a task that is too long, storing nothing', async () => {
    const clock = manualClock(Date.now());
    const { test } = await start(clock);
    const [question] = await test.say('напомни позже позвонить маме', { userId: 'eve' });
    expect(question?.text).toContain('?');
    const [tooLong] = await test.say(`/remind завтра в 9 ${'а'.repeat(3000)}`, { userId: 'eve' });
    expect(tooLong?.text).toMatch(/2000|too long|длинн/i);
    const [none] = await test.say('/reminders', { userId: 'eve' });
    expect(none?.text).toContain('no reminders');
  });
  it('/jobs lists the user’s own jobs with their state, before and after they run', async () => {
    const clock = manualClock(Date.now());
    const { test } = await start(clock);
    const [none] = await test.say('/jobs', { userId: 'fay' });
    expect(none?.text).toBe('You have no jobs or reminders.');
    await test.say('remind me in 3 minutes to water the plants', { userId: 'fay' });
    await test.say('remind me in 3 minutes to call Rob', { userId: 'gus' });
    const [waiting] = await test.say('/jobs', { userId: 'fay' });
    expect(waiting?.text).toMatch(
      /^Your jobs \(1\):\n• water the plants — waiting, next \d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    await clock.advance(4 * minute);
    await clock.settle();
    const [done] = await test.say('/jobs', { userId: 'fay' });
    expect(done?.text).toContain('• water the plants — done');
    expect(done?.text).not.toContain('call Rob');
  });

  it('"каждый день в 9:00 курс валют и погода" runs the planner at 09:00 as the user and sends the result', async () => {
    const clock = manualClock(Date.now());
    const model = scriptedChatModel([
      (request) => {
        const asked = JSON.stringify(request.messages);
        return {
          json: {
            mode: 'answer',
            answer: asked.includes('курс валют и погода') ? 'USD 90,1 ₽; Москва +3°C' : 'не то',
          },
        };
      },
    ]);
    const { test, bot } = await start(clock, model);
    const [set] = await test.say('каждый день в 9:00 курс валют и погода', { userId: 'hal' });
    expect(set?.text).toMatch(
      /^Буду делать: курс валют и погода — впервые \d{4}-\d\d-\d\d 09:00 \(Europe\/Moscow\)/,
    );
    expect(model.requests).toHaveLength(0);
    const user = await bot.storage.users.findByIdentity({ platform: 'test', platformId: 'hal' });
    const listed = (await bot.callTool('reminder_list', {}, { user: user! })) as {
      text: string;
      data: { reminders: Array<{ task: string; next: string; action: string }> };
    };
    expect(listed.data.reminders).toMatchObject([{ task: 'курс валют и погода', action: 'run' }]);
    expect(listed.text).toContain('▶ курс валют и погода');
    await clock.advanceTo(Date.parse(listed.data.reminders[0]!.next) - minute);
    await clock.settle();
    expect(model.requests).toHaveLength(0);
    await clock.advance(2 * minute);
    for (let turn = 0; turn < 10 && !test.delivered.some((message) => message.job); turn++) {
      await clock.settle();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const results = test.delivered.filter((message) => message.job);
    expect(results.map((message) => [message.chatId, message.text, message.job?.kind])).toEqual([
      ['chat-hal', 'USD 90,1 ₽; Москва +3°C', 'scheduled'],
    ]);
    expect(model.requests).toHaveLength(1);
    // Still there for tomorrow.
    const again = (await bot.callTool('reminder_list', {}, { user: user! })) as {
      data: { reminders: Array<{ next: string }> };
    };
    expect(Date.parse(again.data.reminders[0]!.next)).toBeGreaterThan(
      Date.parse(listed.data.reminders[0]!.next),
    );
  });

  it('asks what to do when a scheduled phrase has a time but no task', async () => {
    const clock = manualClock(Date.now());
    const { test } = await start(clock);
    const [question] = await test.say('/schedule every day at 9', { userId: 'ivy' });
    expect(question?.text).toMatch(/^What should I do then\?/);
    const [none] = await test.say('/reminders', { userId: 'ivy' });
    expect(none?.text).toContain('no reminders');
  });

  it('refuses bad input with a clear error code and stores nothing: past time, unknown job, 10,000 characters', async () => {
    const clock = manualClock(Date.now());
    const { bot } = await start(clock);
    const user = await bot.storage.users.resolve({ platform: 'test', platformId: 'jon' }, {});
    const chat = await bot.storage.chats.resolve(
      { platform: 'test', platformId: 'chat-jon' },
      { type: 'private' },
    );
    const call = (tool: string, args: Record<string, unknown>) =>
      bot.callTool(tool, args, { user, chat });
    await expect(
      call('reminder_create', { text: 'напомни 1 января 2020 в 9 позвонить маме' }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_SCHEDULE_UNCLEAR', message: /прошло/ });
    await expect(
      call('task_schedule', { text: 'remind me yesterday at 9 to check the news' }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_SCHEDULE_UNCLEAR' });
    await expect(call('reminder_cancel', { id: 'job_01NOSUCHJOB' })).rejects.toMatchObject({
      code: 'BOTWIRE_JOB_NOT_FOUND',
      message: 'You have no reminder job_01NOSUCHJOB. /reminders lists them.',
    });
    await expect(
      call('reminder_create', { text: `напомни завтра в 9 ${'а'.repeat(10_000)}` }),
    ).rejects.toMatchObject({ code: 'BOTWIRE_TOOL_ARGUMENTS_INVALID' });
    const listed = (await call('reminder_list', {})) as { data: { reminders: unknown[] } };
    expect(listed.data.reminders).toEqual([]);
    expect(await bot.storage.kv.list('jobs', { prefix: 'job:' })).toEqual([]);
  });
});
