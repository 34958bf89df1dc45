import type { Middleware } from '../middleware/composer';
import type { BotContext } from '../runtime/bot-context';
import {
  type LimitSubject,
  limitReply,
  limitsFor,
  type RoleLimits,
  type UsageLimits,
} from './usage-limits';
import type { UsageCounts, UsageTracker } from './usage-tracker';

/** What {@link budgetMiddleware} leaves in `context.state.usage` for the planner. */
export interface UsageState {
  /** How many messages the user sent today (UTC), this one included. */
  messages: number;
  /**
   * The user's counts for today (UTC), this message included. Read from storage when asked
   * (six keys), not on every message: most messages never need them.
   */
  today(): Promise<UsageCounts>;
  /** The limits of the user's role (`{}`: unlimited). */
  limits: RoleLimits;
  /** Whose limits they are. */
  subject: LimitSubject;
}

/** The usage {@link budgetMiddleware} left on a context, or undefined when it did not run. */
export function usageState(context: { state: Record<string, unknown> }): UsageState | undefined {
  return context.state.usage as UsageState | undefined;
}

/**
 * Middleware that counts each message against the sender's daily budget. Past their role's
 * `messagesPerDay` it answers with the `limit.reached` string, in the user's language, and
 * stops the chain, so no skill runs and no model is called. Otherwise it leaves the day's
 * numbers in `context.state.usage` (see {@link usageState}) and passes the message on.
 *
 * The bot puts it after access control and the built-in and access commands, so `/help`,
 * `/whoami` and `/admit` always answer and are not counted. Roles without an entry in
 * `limits` (the owner, unless configured) are counted but never refused.
 *
 * @example
 * chain.use(budgetMiddleware(bot.usage, { user: { messagesPerDay: 50 } }));
 */
export function budgetMiddleware(
  tracker: UsageTracker,
  limits: UsageLimits | undefined,
): Middleware<BotContext> {
  return async (context, next) => {
    const subject: LimitSubject = context.role ?? 'guest';
    const own = limitsFor(limits, context.role);
    const max = own.messagesPerDay;
    // Background work was counted when the user asked for it; its model calls still count.
    const { admitted, count } =
      context.message.job?.kind === 'background'
        ? { admitted: true, count: (await tracker.today(context.user.id)).messages }
        : await tracker.admitMessage(context.user.id, max);
    if (!admitted && max !== undefined) {
      context.log.info('limit-reached', { limit: 'messagesPerDay', max, subject, count });
      await context.reply(limitReply(context, { limit: 'messagesPerDay', max }));
      return;
    }
    const userId = context.user.id;
    const state: UsageState = {
      messages: count,
      today: async () => ({ ...(await tracker.today(userId)), messages: count }),
      limits: own,
      subject,
    };
    context.state.usage = state;
    return next();
  };
}
