import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { UsageMetrics } from './usage-metrics';
import { emptyUsage, UsageTracker, utcDay } from './usage-tracker';

const dayMs = 86_400_000;
const start = Date.UTC(2025, 0, 31, 23, 0, 0);

describe('UsageTracker', () => {
  let now: number;
  let storage: StorageDriver;
  let usage: UsageTracker;

  beforeEach(async () => {
    now = start;
    storage = memoryStorage({ now: () => now });
    await storage.open();
    usage = new UsageTracker(storage.kv, { now: () => now });
  });

  afterEach(() => storage.close());

  it('counts messages per user and per UTC day', async () => {
    expect(await usage.recordMessage('usr_a')).toBe(1);
    expect(await usage.recordMessage('usr_a')).toBe(2);
    expect(await usage.recordMessage('usr_b')).toBe(1);
    expect(await usage.today('usr_a')).toEqual({ ...emptyUsage(), messages: 2 });
    expect(usage.day()).toBe('2025-01-31');
    now += 60 * 60_000; // past midnight UTC
    expect(usage.day()).toBe('2025-02-01');
    expect(await usage.today('usr_a')).toEqual(emptyUsage());
    expect(await usage.recordMessage('usr_a')).toBe(1);
    expect((await usage.forUser('usr_a', '2025-01-31')).messages).toBe(2);
    expect(usage.metrics.value('botwire_messages_total')).toBe(4);
  });

  it('counts model calls and tokens per user and per skill, failed calls included', async () => {
    await usage.recordModelCall({
      userId: 'usr_a',
      skill: 'notes',
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 800,
      outputTokens: 95,
      latencyMs: 1430,
      ok: true,
    });
    await usage.recordModelCall({
      userId: 'usr_a',
      inputTokens: Number.NaN,
      outputTokens: 0,
      latencyMs: 20,
      ok: false,
    });
    expect(await usage.today('usr_a')).toEqual({
      ...emptyUsage(),
      modelCalls: 2,
      inputTokens: 800,
      outputTokens: 95,
    });
    expect(await usage.forSkill('notes')).toEqual({
      ...emptyUsage(),
      modelCalls: 1,
      inputTokens: 800,
      outputTokens: 95,
    });
    const text = usage.metricsText();
    expect(text).toContain(
      'botwire_model_calls_total{provider="openai",model="gpt-4o-mini",outcome="ok"} 1',
    );
    expect(text).toContain(
      'botwire_model_calls_total{provider="unknown",model="unknown",outcome="error"} 1',
    );
    expect(text).toContain(
      'botwire_model_tokens_total{provider="openai",model="gpt-4o-mini",direction="input"} 800',
    );
    expect(text).toContain(
      'botwire_model_call_duration_seconds_sum{provider="openai",model="gpt-4o-mini"} 1.43',
    );
  });

  it('counts tool calls and errors per user and per skill', async () => {
    await usage.recordToolCall({
      userId: 'usr_a',
      skill: 'notes',
      tool: 'note_add',
      ok: true,
      latencyMs: 5,
    });
    await usage.recordToolCall({ skill: 'notes', tool: 'note_add', ok: false, latencyMs: 7 });
    expect(await usage.today('usr_a')).toEqual({ ...emptyUsage(), toolCalls: 1 });
    expect(await usage.forSkill('notes')).toEqual({ ...emptyUsage(), toolCalls: 2, toolErrors: 1 });
    expect(usage.metricsText()).toContain(
      'botwire_tool_call_duration_seconds_count{skill="notes",tool="note_add"} 2',
    );
  });

  it('trackToolCall times the call, records the outcome and passes results and errors through', async () => {
    const call = { userId: 'usr_a', skill: 'notes', tool: 'note_add' };
    const result = await usage.trackToolCall(call, async () => {
      now += 250;
      return 'done';
    });
    expect(result).toBe('done');
    const failure = new Error('boom');
    await expect(
      usage.trackToolCall(call, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await usage.forSkill('notes')).toMatchObject({ toolCalls: 2, toolErrors: 1 });
    expect(usage.metricsText()).toContain(
      'botwire_tool_call_duration_seconds_bucket{skill="notes",tool="note_add",le="0.25"} 2',
    );

    await storage.close();
    const recordErrors: unknown[] = [];
    expect(
      await usage.trackToolCall(
        call,
        async () => 42,
        (error) => recordErrors.push(error),
      ),
    ).toBe(42);
    expect(recordErrors).toMatchObject([{ code: 'BOTWIRE_STORAGE_CLOSED' }]);
  });

  it('admitMessage lets exactly `limit` messages through, even at once, and does not count refusals', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => usage.admitMessage('usr_a', 3)),
    );
    expect(results.filter((result) => result.admitted)).toHaveLength(3);
    expect((await usage.today('usr_a')).messages).toBe(3);
    expect(await usage.admitMessage('usr_a', undefined)).toEqual({ admitted: true, count: 4 });
    expect(usage.metrics.value('botwire_limit_reached_total', { limit: 'messagesPerDay' })).toBe(7);
    expect(usage.metrics.value('botwire_messages_total')).toBe(4);
  });

  it('keeps a day for 40 days by default, and another retention when asked', async () => {
    await usage.recordMessage('usr_a');
    now += 39 * dayMs;
    expect((await usage.forUser('usr_a', '2025-01-31')).messages).toBe(1);
    now += dayMs;
    expect((await usage.forUser('usr_a', '2025-01-31')).messages).toBe(0);
    const short = new UsageTracker(storage.kv, { now: () => now, retentionDays: 1 });
    await short.recordMessage('usr_b');
    now += dayMs;
    expect((await short.forUser('usr_b', utcDay(now - dayMs))).messages).toBe(0);
  });

  it('keeps ids with separators apart, and can share metrics', async () => {
    const metrics = new UsageMetrics();
    const first = new UsageTracker(storage.kv, { now: () => now, metrics });
    const second = new UsageTracker(storage.kv, { now: () => now, metrics, namespace: 'other' });
    await first.recordMessage('a:b');
    await first.recordMessage('a');
    await second.recordMessage('a');
    expect((await first.today('a:b')).messages).toBe(1);
    expect((await first.today('a')).messages).toBe(1);
    expect(metrics.value('botwire_messages_total')).toBe(3);
    expect(await storage.kv.list('usage', { prefix: 'user:a%3Ab:' })).toHaveLength(1);
  });
});
