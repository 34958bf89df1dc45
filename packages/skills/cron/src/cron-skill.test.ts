import { type Bot, createBot, isBotwireError, silentLogger } from '@botwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulePhrases } from './schedule/schedule-phrases';
import { cronSource } from './testing/cron-source';

let bot: Bot;
beforeAll(async () => {
  bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills: [cronSource()] },
    adapters: [],
    log: silentLogger,
  });
  await bot.init();
});
afterAll(() => bot.stop());

describe('schedule_parse, the tool', () => {
  it('gives every phrase of the set its schedule through the tool call, output schema checked', async () => {
    const wrong: string[] = [];
    for (const phrase of schedulePhrases) {
      const args = { text: phrase.text, now: phrase.now, timezone: phrase.timezone };
      try {
        const result = (await bot.callTool('schedule_parse', args)) as Record<string, unknown>;
        if ('unclear' in phrase.expect) wrong.push(`${phrase.text}: expected unclear`);
        else if (
          result.task !== phrase.expect.task ||
          result.kind !== phrase.expect.kind ||
          JSON.stringify(result.next) !== JSON.stringify(phrase.expect.next)
        )
          wrong.push(`${phrase.text}: got ${JSON.stringify(result)}`);
      } catch (error) {
        if (!('unclear' in phrase.expect) || !isBotwireError(error, 'BOTWIRE_SCHEDULE_UNCLEAR'))
          wrong.push(`${phrase.text}: ${String(error)}`);
      }
    }
    expect(schedulePhrases.length).toBeGreaterThanOrEqual(80);
    expect(wrong).toEqual([]);
  });

  it('asks back when the time is unclear, in the language of the phrase', async () => {
    const error = await bot
      .callTool('schedule_parse', {
        text: 'напомни позже позвонить маме',
        now: '2027-03-10T14:20:35+03:00',
        timezone: 'Europe/Moscow',
      })
      .catch((caught: unknown) => caught);
    expect(isBotwireError(error, 'BOTWIRE_SCHEDULE_UNCLEAR')).toBe(true);
    expect((error as Error).message).toMatch(/[а-я]/i);
    expect((error as Error).message).toContain('?');
  });

  it('refuses an invalid time zone, a bad now and a 10,000-character text clearly', async () => {
    const now = '2027-03-10T14:20:35+03:00';
    const cases = [
      { text: 'завтра в 9 позвонить маме', now, timezone: 'Mars/Olympus' },
      { text: 'завтра в 9 позвонить маме', now: 'yesterday', timezone: 'Europe/Moscow' },
      { text: `завтра в 9 ${'а'.repeat(10_000)}`, now, timezone: 'Europe/Moscow' },
    ];
    for (const args of cases) {
      const error = await bot.callTool('schedule_parse', args).catch((caught: unknown) => caught);
      expect(isBotwireError(error), JSON.stringify(args).slice(0, 80)).toBe(true);
      expect(['BOTWIRE_INVALID_ARGUMENT', 'BOTWIRE_TOOL_ARGUMENTS_INVALID']).toContain(
        (error as { code: string }).code,
      );
    }
  });

  it("uses the user's stored time zone, else the bot's default", async () => {
    const now = '2027-03-10T14:20:35+03:00';
    const user = await bot.storage.users.resolve({ platform: 'test', platformId: 'tz' });
    const moscow = (await bot.callTool(
      'schedule_parse',
      { text: 'завтра в 9 позвонить', now },
      { user },
    )) as { next: string[] };
    expect(moscow.next).toEqual(['2027-03-11T09:00:00+03:00']);
    const berlinUser = await bot.storage.users.update(user.id, {
      data: { preferences: { timezone: 'Europe/Berlin' } },
    });
    const berlin = (await bot.callTool(
      'schedule_parse',
      { text: 'завтра в 9 позвонить', now },
      { user: berlinUser },
    )) as { next: string[] };
    expect(berlin.next).toEqual(['2027-03-11T09:00:00+01:00']);
  });
});
