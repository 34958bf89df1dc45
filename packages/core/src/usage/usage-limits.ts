import type { Role } from '../ports/storage';
import type { UsageCounts, UsageTracker } from './usage-tracker';

/** The daily limits of one role. A limit that is not set is unlimited. */
export interface DailyLimits {
  /** Messages (and button presses) that reach skills or the planner, per UTC day. */
  messagesPerDay?: number;
  /** Chat model calls per UTC day. */
  modelCallsPerDay?: number;
  /** Model tokens (input plus output) per UTC day. */
  tokensPerDay?: number;
}

/**
 * What one role (a plan: `user` free, `premium` paid, ...) may do: its daily limits, and how
 * much of the chat's history the model sees. A limit that is not set is unlimited.
 */
export interface RoleLimits extends DailyLimits {
  /**
   * How many earlier messages of the chat (the user's and the bot's) the model sees with each
   * message. Unset: as many as fit the planner's history budget.
   */
  historyMessages?: number;
}

/** Every field a role's limits may have, daily or not, for checking a config. */
export const roleLimitNames: readonly (keyof RoleLimits)[] = [
  'messagesPerDay',
  'modelCallsPerDay',
  'tokensPerDay',
  'historyMessages',
];

/** The name of one daily limit, such as `messagesPerDay`. */
export type LimitName = keyof DailyLimits;

/** Every daily limit, in a stable order. */
export const limitNames: readonly LimitName[] = [
  'messagesPerDay',
  'modelCallsPerDay',
  'tokensPerDay',
];

/** Who a limit applies to: a role, or `guest` for users with no role on an open bot. */
export type LimitSubject = Role | 'guest';

/** Every subject a config may set limits for. */
export const limitSubjects: readonly LimitSubject[] = [
  'owner',
  'admin',
  'moderator',
  'premium',
  'user',
  'guest',
];

/**
 * The `limits` field of the bot config: limits per role. A role without an entry is
 * unlimited, the owner included. Plans are roles: a free plan is `user`, a paid one `premium`.
 *
 * @example
 * limits: {
 *   guest: { messagesPerDay: 20 },
 *   user: { messagesPerDay: 50, historyMessages: 10, tokensPerDay: 200_000 },
 *   premium: {},
 * }
 */
export type UsageLimits = Partial<Record<LimitSubject, RoleLimits>>;

/** The core string each limit's reply uses; `{limit}` is the number. */
export const limitStringKeys = {
  messagesPerDay: 'limit.reached',
  modelCallsPerDay: 'limit.model_calls_reached',
  tokensPerDay: 'limit.tokens_reached',
} as const satisfies Record<LimitName, string>;

/** The limits that apply to a user with this role (`undefined`: a guest); `{}` when unlimited. */
export function limitsFor(limits: UsageLimits | undefined, role: Role | undefined): RoleLimits {
  return limits?.[role ?? 'guest'] ?? {};
}

/** A limit that was reached: which, its value, and how much was used today. */
export interface LimitHit {
  limit: LimitName;
  max: number;
  used: number;
}

/** What {@link checkModelBudget} found: `ok`, or the limit that stops the call. */
export type BudgetCheck =
  | { ok: true; usage: UsageCounts }
  | ({ ok: false; usage: UsageCounts } & LimitHit);

/**
 * Checks, before a chat model call, whether the user's role may make one more today
 * (`modelCallsPerDay`, `tokensPerDay`). Planners call it before every model call and, when it
 * is not ok, answer with {@link limitReply} (or without the model) instead. A call that is
 * let through may overshoot `tokensPerDay` by its own tokens; the next one is refused.
 *
 * @example
 * const budget = await checkModelBudget(bot.usage, bot.config.limits, context.user);
 * if (!budget.ok) return context.reply(limitReply(context, budget));
 */
export async function checkModelBudget(
  tracker: UsageTracker,
  limits: UsageLimits | undefined,
  user: { id: string; role?: Role },
): Promise<BudgetCheck> {
  const own = limitsFor(limits, user.role);
  const usage = await tracker.today(user.id);
  const checks: Array<[LimitName, number | undefined, number]> = [
    ['modelCallsPerDay', own.modelCallsPerDay, usage.modelCalls],
    ['tokensPerDay', own.tokensPerDay, usage.inputTokens + usage.outputTokens],
  ];
  for (const [limit, max, used] of checks) {
    if (max !== undefined && used >= max) {
      tracker.recordLimitReached(limit);
      return { ok: false, usage, limit, max, used };
    }
  }
  return { ok: true, usage };
}

/**
 * The reply, in the user's language, for a reached limit.
 *
 * @example
 * await context.reply(limitReply(context, { limit: 'messagesPerDay', max: 50 }));
 */
export function limitReply(
  context: { t(key: string, params?: Record<string, string | number>): string },
  hit: Pick<LimitHit, 'limit' | 'max'>,
): string {
  return context.t(limitStringKeys[hit.limit], { limit: hit.max });
}
