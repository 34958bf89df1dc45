import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate-config';
import { coreStrings } from '../i18n/core-strings';
import { type Locale, translate } from '../i18n/translate';
import { memoryStorage } from '../storage/drivers/memory';
import { checkModelBudget, limitReply, limitsFor, type UsageLimits } from './usage-limits';
import { UsageTracker } from './usage-tracker';

const t = (locale: Locale) => ({
  t: (key: string, params?: Record<string, string | number>) =>
    translate(coreStrings, locale, key, params),
});

describe('limitsFor', () => {
  it('finds the role’s limits, guest for no role, and {} (unlimited) without an entry', () => {
    const limits: UsageLimits = { user: { messagesPerDay: 50 }, guest: { messagesPerDay: 5 } };
    expect(limitsFor(limits, 'user')).toEqual({ messagesPerDay: 50 });
    expect(limitsFor(limits, undefined)).toEqual({ messagesPerDay: 5 });
    expect(limitsFor(limits, 'owner')).toEqual({});
    expect(limitsFor(undefined, 'user')).toEqual({});
  });
});

describe('checkModelBudget', () => {
  it('refuses the call once modelCallsPerDay or tokensPerDay is used up', async () => {
    const storage = memoryStorage();
    await storage.open();
    const usage = new UsageTracker(storage.kv);
    const limits: UsageLimits = { user: { modelCallsPerDay: 2, tokensPerDay: 1000 } };
    const user = { id: 'usr_a', role: 'user' as const };
    const call = { userId: 'usr_a', inputTokens: 300, outputTokens: 100, latencyMs: 1, ok: true };

    expect(await checkModelBudget(usage, limits, user)).toMatchObject({ ok: true });
    await usage.recordModelCall(call);
    expect(await checkModelBudget(usage, limits, user)).toMatchObject({
      ok: true,
      usage: { modelCalls: 1, inputTokens: 300 },
    });
    await usage.recordModelCall(call);
    expect(await checkModelBudget(usage, limits, user)).toMatchObject({
      ok: false,
      limit: 'modelCallsPerDay',
      max: 2,
      used: 2,
    });
    const tokensOnly: UsageLimits = { user: { tokensPerDay: 800 } };
    expect(await checkModelBudget(usage, tokensOnly, user)).toMatchObject({
      ok: false,
      limit: 'tokensPerDay',
      max: 800,
      used: 800,
    });
    expect(await checkModelBudget(usage, limits, { id: 'usr_a', role: 'owner' })).toMatchObject({
      ok: true,
    });
    expect(usage.metrics.value('botwire_limit_reached_total', { limit: 'tokensPerDay' })).toBe(1);
    await storage.close();
  });
});

describe('limitReply', () => {
  it('names the limit in English and Russian', () => {
    expect(limitReply(t('en'), { limit: 'messagesPerDay', max: 50 })).toBe(
      "You've reached today's message limit (50). It resets at midnight UTC.",
    );
    expect(limitReply(t('ru'), { limit: 'messagesPerDay', max: 50 })).toBe(
      'Вы исчерпали лимит сообщений на сегодня (50). Он обновится в полночь по UTC.',
    );
    expect(limitReply(t('en'), { limit: 'modelCallsPerDay', max: 3 })).toMatch(
      /model requests \(3\)/,
    );
    expect(limitReply(t('ru'), { limit: 'tokensPerDay', max: 9 })).toMatch(/лимит токенов .*\(9\)/);
  });
});

describe('validateConfig: limits', () => {
  it('accepts limits per role, guest included', () => {
    expect(
      validateConfig({
        limits: {
          owner: {},
          user: { messagesPerDay: 50, modelCallsPerDay: 20, tokensPerDay: 100_000 },
          guest: { messagesPerDay: 0 },
        },
      }),
    ).toEqual([]);
  });

  it('names every bad role, limit and value', () => {
    const paths = (limits: unknown) =>
      validateConfig({ limits }).map((problem) => `${problem.path}: ${problem.message}`);
    expect(paths([])).toEqual([expect.stringMatching(/^limits: limits must be an object/)]);
    expect(
      paths({
        users: { messagesPerDay: 1 },
        user: { messagesPerDay: -1, messages: 5, tokensPerDay: 1.5 },
        guest: 10,
        admin: { modelCallsPerDay: '20' },
      }),
    ).toEqual([
      expect.stringMatching(
        /^limits\.users: unknown role "users"; limits are set for owner, admin, moderator, premium, user, guest/,
      ),
      expect.stringMatching(/^limits\.user\.messagesPerDay: .*whole number.*got -1/),
      expect.stringMatching(
        /^limits\.user\.messages: unknown limit "messages"; use messagesPerDay/,
      ),
      expect.stringMatching(/^limits\.user\.tokensPerDay: .*got 1\.5/),
      expect.stringMatching(/^limits\.guest: limits\.guest must be an object/),
      expect.stringMatching(/^limits\.admin\.modelCallsPerDay: .*got "20"/),
    ]);
  });
});
