import type { KeyValueStore } from '../ports/storage';
import { UsageMetrics } from './usage-metrics';

/** What is counted per user and per skill, per UTC day. */
export interface UsageCounts {
  /** Messages (and button presses) that reached skills or the planner. */
  messages: number;
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  /** Tool calls that failed (included in `toolCalls`). */
  toolErrors: number;
}

/** The name of one of the {@link UsageCounts}. */
export type UsageCounter = keyof UsageCounts;

/** Every counter, in a stable order. */
export const usageCounters: readonly UsageCounter[] = [
  'messages',
  'modelCalls',
  'inputTokens',
  'outputTokens',
  'toolCalls',
  'toolErrors',
];

/** One chat model call, for {@link UsageTracker.recordModelCall}. */
export interface ModelCallRecord {
  /** The user the call was made for; omitted for calls made for no one (a scheduled job). */
  userId?: string;
  /** The skill the call was made for, when there is one. */
  skill?: string;
  /** `openai`, `ollama`, ... (a metrics label; default `unknown`). */
  provider?: string;
  /** The model name (a metrics label; default `unknown`). */
  model?: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** False when the call failed. A failed call still counts as a model call. */
  ok: boolean;
}

/** One tool call, for {@link UsageTracker.recordToolCall}. */
export interface ToolCallRecord {
  userId?: string;
  /** The skill the tool belongs to. */
  skill: string;
  tool: string;
  ok: boolean;
  latencyMs: number;
}

/** Options for {@link UsageTracker}. */
export interface UsageTrackerOptions {
  /** The clock, in ms since the epoch; defaults to `Date.now`. Handy in tests. */
  now?: () => number;
  /** How many days a day's counts are kept in storage. Default 40. */
  retentionDays?: number;
  /** Where process-wide metrics go; share one instance to sum several bots. Default: a new one. */
  metrics?: UsageMetrics;
  /** The key-value namespace. Default `usage`. */
  namespace?: string;
}

const dayMs = 86_400_000;

/** The UTC date of a moment, as `YYYY-MM-DD`. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** A count of zero for every counter. */
export function emptyUsage(): UsageCounts {
  return {
    messages: 0,
    modelCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    toolCalls: 0,
    toolErrors: 0,
  };
}

/** A non-negative whole number of tokens or ms; anything else (NaN, undefined) counts as 0. */
const whole = (value: number | undefined) =>
  typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.round(value) : 0;

type Scope = 'user' | 'skill';

/**
 * Counts messages, model calls, tokens and tool calls per user and per skill for each UTC day,
 * in the storage's key-value store (namespace `usage`, keys such as
 * `user:usr_01J..:2025-01-31:messages`, kept 40 days), and feeds process-wide
 * {@link UsageMetrics} for a `/metrics` endpoint. The bot makes one as `bot.usage`.
 *
 * @example
 * const usage = new UsageTracker(storage.kv);
 * await usage.recordMessage(user.id);
 * await usage.recordModelCall({ userId: user.id, provider: 'openai', model: 'gpt-4o-mini',
 *   inputTokens: 812, outputTokens: 95, latencyMs: 1430, ok: true });
 * (await usage.today(user.id)).modelCalls; // 1
 */
export class UsageTracker {
  /** The process-wide counters and histograms this tracker feeds. */
  readonly metrics: UsageMetrics;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly namespace: string;

  constructor(
    private readonly kv: KeyValueStore,
    options: UsageTrackerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = (options.retentionDays ?? 40) * dayMs;
    this.namespace = options.namespace ?? 'usage';
    this.metrics = options.metrics ?? new UsageMetrics();
  }

  /** Today's UTC date (`YYYY-MM-DD`) by the tracker's clock. */
  day(): string {
    return utcDay(this.now());
  }

  /** Counts one message of a user; returns how many they have sent today, this one included. */
  async recordMessage(userId: string): Promise<number> {
    this.metrics.increment('botwire_messages_total');
    return this.add('user', userId, this.day(), 'messages', 1);
  }

  /**
   * Counts a message unless that would take the user past `limit` messages today: then it
   * is not counted (the day's count holds only messages that got through) and the refusal goes
   * to the metrics. Atomic: of many messages at once, exactly `limit` get through.
   */
  async admitMessage(
    userId: string,
    limit: number | undefined,
  ): Promise<{ admitted: boolean; count: number }> {
    if (limit === undefined) return { admitted: true, count: await this.recordMessage(userId) };
    const day = this.day();
    const count = await this.add('user', userId, day, 'messages', 1);
    if (count <= limit) {
      this.metrics.increment('botwire_messages_total');
      return { admitted: true, count };
    }
    this.recordLimitReached('messagesPerDay');
    return { admitted: false, count: await this.add('user', userId, day, 'messages', -1) };
  }

  /** Counts one chat model call and its tokens for its user and skill, and in the metrics. */
  async recordModelCall(call: ModelCallRecord): Promise<void> {
    const model = { provider: call.provider || 'unknown', model: call.model || 'unknown' };
    const inputTokens = whole(call.inputTokens);
    const outputTokens = whole(call.outputTokens);
    const { metrics } = this;
    metrics.increment('botwire_model_calls_total', {
      ...model,
      outcome: call.ok ? 'ok' : 'error',
    });
    metrics.increment('botwire_model_tokens_total', { ...model, direction: 'input' }, inputTokens);
    metrics.increment(
      'botwire_model_tokens_total',
      { ...model, direction: 'output' },
      outputTokens,
    );
    metrics.observe('botwire_model_call_duration_seconds', model, whole(call.latencyMs) / 1000);
    await this.addToBoth(call, { modelCalls: 1, inputTokens, outputTokens });
  }

  /** Counts one tool call (and a failure) for its user and skill, and in the metrics. */
  async recordToolCall(call: ToolCallRecord): Promise<void> {
    const labels = { skill: call.skill, tool: call.tool };
    this.metrics.increment('botwire_tool_calls_total', {
      ...labels,
      outcome: call.ok ? 'ok' : 'error',
    });
    const seconds = whole(call.latencyMs) / 1000;
    this.metrics.observe('botwire_tool_call_duration_seconds', labels, seconds);
    await this.addToBoth(call, { toolCalls: 1, toolErrors: call.ok ? 0 : 1 });
  }

  /**
   * Runs a tool call and records it (outcome and latency), returning or rethrowing what `run`
   * does. A failure to record is passed to `onRecordError` and never changes the tool's result.
   */
  async trackToolCall<T>(
    call: Omit<ToolCallRecord, 'ok' | 'latencyMs'>,
    run: () => Promise<T>,
    onRecordError: (error: unknown) => void = () => {},
  ): Promise<T> {
    const started = this.now();
    const record = (ok: boolean) =>
      this.recordToolCall({ ...call, ok, latencyMs: this.now() - started }).catch(onRecordError);
    let result: T;
    try {
      result = await run();
    } catch (error) {
      await record(false);
      throw error;
    }
    await record(true);
    return result;
  }

  /** Counts a refusal because of a daily limit, in the metrics only. */
  recordLimitReached(limit: string): void {
    this.metrics.increment('botwire_limit_reached_total', { limit });
  }

  /** A user's counts for today (UTC). */
  today(userId: string): Promise<UsageCounts> {
    return this.forUser(userId);
  }

  /** A user's counts for a UTC day (`YYYY-MM-DD`, default today). */
  forUser(userId: string, day = this.day()): Promise<UsageCounts> {
    return this.read('user', userId, day);
  }

  /** A skill's counts for a UTC day (`YYYY-MM-DD`, default today), over all users. */
  forSkill(skill: string, day = this.day()): Promise<UsageCounts> {
    return this.read('skill', skill, day);
  }

  /** The process-wide metrics in the Prometheus text exposition format. */
  metricsText(): string {
    return this.metrics.text();
  }

  private prefix(scope: Scope, id: string, day: string): string {
    return `${scope}:${encodeURIComponent(id)}:${day}:`;
  }

  private add(scope: Scope, id: string, day: string, counter: UsageCounter, by: number) {
    return this.kv.increment(this.namespace, `${this.prefix(scope, id, day)}${counter}`, by, {
      ttlMs: this.ttlMs,
    });
  }

  private async addToBoth(
    owner: { userId?: string; skill?: string },
    amounts: Partial<UsageCounts>,
  ): Promise<void> {
    const day = this.day();
    const increments: Array<Promise<number>> = [];
    for (const [counter, amount] of Object.entries(amounts) as Array<[UsageCounter, number]>) {
      if (!amount) continue;
      if (owner.userId) increments.push(this.add('user', owner.userId, day, counter, amount));
      if (owner.skill) increments.push(this.add('skill', owner.skill, day, counter, amount));
    }
    await Promise.all(increments);
  }

  private async read(scope: Scope, id: string, day: string): Promise<UsageCounts> {
    const prefix = this.prefix(scope, id, day);
    const counts = emptyUsage();
    const entries = await this.kv.list<number>(this.namespace, { prefix });
    for (const { key, value } of entries) {
      const counter = key.slice(prefix.length) as UsageCounter;
      if (usageCounters.includes(counter) && typeof value === 'number') counts[counter] = value;
    }
    return counts;
  }
}
