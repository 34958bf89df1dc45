import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { type Bot, createBot } from '../runtime/bot';
import { testAdapter } from '../testing/test-adapter';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function privateBot() {
  const test = testAdapter();
  const terminal: string[] = [];
  const bot = createBot({
    config: { storage: 'memory', name: 'Ada' },
    adapters: [test.adapter],
    log: silentLogger,
    terminal: { write: (text) => terminal.push(text) },
  });
  bots.push(bot);
  await bot.start();
  return { bot, test, terminal };
}

describe('owner onboarding', () => {
  it('shows the claim code in a terminal banner and tells messenger users to send it', async () => {
    const { bot, test, terminal } = await privateBot();
    const banner = terminal.join('');
    expect(banner).toMatch(/Ada has no owner yet/);
    expect(banner).toContain(bot.claimCode!);
    const [hint] = await test.say('hello?', { userId: 'ann' });
    expect(hint?.text).toMatch(/Ada has no owner yet.*claim code shown in the terminal/);
    const codeFromBanner = /\n\|\s+(\d{3}-\d{3}-\d{3})\s+\|/.exec(banner)?.[1];
    expect((await test.say(codeFromBanner!, { userId: 'ann' }))[0]?.text).toMatch(
      /You are now the owner of Ada/,
    );
  });

  it("sends a stranger's request to the owner with an Admit button that admits them", async () => {
    const { bot, test } = await privateBot();
    await test.say(bot.claimCode!, { userId: 'owner', name: 'Olga' });
    const [told] = await test.say('hi, can I use you?', { userId: 'bob', name: 'Bob' });
    expect(told?.text).toMatch(/asked its owner to let you in/);
    const notice = test.delivered.find((message) => message.text.includes('asks to use the bot'));
    expect(notice?.chatId).toBe('chat-owner');
    expect(notice?.text).toMatch(/^Bob \(test:bob, usr_\w+\) asks to use the bot\.$/);
    const admit = notice?.buttons?.[0]?.[0];
    expect(admit?.label).toBe('Admit');
    // Writing again does not notify the owner twice.
    expect((await test.say('hello again', { userId: 'bob' }))[0]?.text).toMatch(/waiting/);
    expect(test.delivered.filter((message) => message.text.includes('asks to use'))).toHaveLength(
      1,
    );
    // /users lists the pending request.
    expect((await test.say('/users', { userId: 'owner' }))[0]?.text).toMatch(
      /Waiting for access:\nBob/,
    );
    // Only an admin's press counts: the stranger's own press does nothing.
    expect(await test.press(admit!.data!, { userId: 'bob' })).toEqual([]);
    expect((await test.say('/whoami', { userId: 'bob' }))[0]?.text).toMatch(/waiting/);
    const replies = await test.press(admit!.data!, { userId: 'owner' });
    expect(replies[0]?.text).toMatch(/can use the bot now/);
    const welcome = test.delivered.find((message) => message.text.startsWith('You can use Ada'));
    expect(welcome?.chatId).toBe('chat-bob');
    expect((await test.say('/whoami', { userId: 'bob' }))[0]?.text).toMatch(/Role: user/);
    expect((await test.say('/users', { userId: 'owner' }))[0]?.text).not.toMatch(/Waiting/);
  });

  it('lets the owner decline a request, and /admit still works', async () => {
    const { bot, test } = await privateBot();
    await test.say(bot.claimCode!, { userId: 'owner' });
    const [told] = await test.say('hi', { userId: 'eve' });
    const eveId = /Your id: (usr_\w+)/.exec(told!.text)?.[1];
    const notice = test.delivered.find((message) => message.text.includes('asks to use'));
    const decline = notice?.buttons?.[0]?.[1];
    expect(decline?.label).toBe('Decline');
    expect((await test.press(decline!.data!, { userId: 'owner' }))[0]?.text).toMatch(/Declined/);
    expect((await test.say('/whoami', { userId: 'eve' }))[0]?.text).toMatch(/private/);
    expect((await test.say(`/admit ${eveId}`, { userId: 'owner' }))[0]?.text).toMatch(
      /can use the bot now/,
    );
  });
});
