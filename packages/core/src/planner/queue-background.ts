import { backgroundRequested } from '../runtime/background-request';
import type { BotContext } from '../runtime/bot-context';
import { findReferences, type Plan } from './plan';

/**
 * Queues the work as a background job instead of running it now, when the user asked for that
 * ("…, в фоне") or a step's tool is `long_running`, and tells the user at once. `plan` undefined
 * queues the message alone, planned when the job runs. False when the work runs now: the bot has
 * no queue, the message already comes from a job, or a step's own arguments are wrong (the user
 * hears that at once instead of from the job).
 */
export async function queueInstead(context: BotContext, plan: Plan | undefined): Promise<boolean> {
  const queueTask = context.services.queueTask;
  if (!queueTask || context.message.job) return false;
  const steps = plan?.steps ?? [];
  const longRunning = steps.some(
    (step) => context.skills.getTool(step.tool)?.manifest.long_running === true,
  );
  if (!longRunning && !backgroundRequested(context)) return false;
  if (plan && steps.length === 0) return false;
  for (const step of steps) {
    if (findReferences(step.arguments).length > 0) continue;
    try {
      context.skills.checkArguments(step.tool, step.arguments);
    } catch {
      return false;
    }
  }
  const job = await queueTask({ text: context.text, user: context.user, chat: context.chat }, plan);
  context.log.info('background-queued', {
    job: job.id,
    steps: steps.map((step) => step.tool),
    longRunning,
  });
  await context.reply(context.t('background.queued'));
  return true;
}
