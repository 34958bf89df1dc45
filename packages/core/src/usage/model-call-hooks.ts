import { BotwireError } from '../errors/botwire-error';
import type { PlannerOptions } from '../planner/planner-steps';
import { checkModelBudget, limitReply, type UsageLimits } from './usage-limits';
import type { UsageTracker } from './usage-tracker';

/**
 * The planner's hooks around each model call: refuse it when the user's daily model budget is
 * spent (BOTWIRE_LIMIT_REACHED with the reply in their language), and record it afterwards.
 */
export function modelCallHooks(
  usage: () => UsageTracker,
  limits: UsageLimits | undefined,
): Pick<PlannerOptions, 'beforeModelCall' | 'afterModelCall'> {
  return {
    beforeModelCall: async (context) => {
      const budget = await checkModelBudget(usage(), limits, context.user);
      if (!budget.ok)
        throw new BotwireError('BOTWIRE_LIMIT_REACHED', { message: limitReply(context, budget) });
    },
    afterModelCall: (context, call) =>
      usage()
        .recordModelCall({
          userId: context.user.id,
          provider: call.model.provider,
          model: call.response?.model ?? call.model.model,
          inputTokens: call.response?.usage.inputTokens ?? 0,
          outputTokens: call.response?.usage.outputTokens ?? 0,
          latencyMs: call.latencyMs,
          ok: call.ok,
        })
        .catch((error: unknown) => context.log.warn('usage-record-failed', { error })),
  };
}
