import { BotwireError } from '../errors/botwire-error';
import type { Middleware } from '../middleware/composer';
import type { BotContext } from './bot-context';

/** The names of the default chain's steps, in their order. */
export type DefaultStepName =
  | 'identify-sender'
  | 'access-control'
  | 'record-message'
  | 'payments'
  | 'builtin-commands'
  | 'budget'
  | 'user-middleware'
  | 'conversations'
  | 'background-request'
  | 'pending-confirmation'
  | 'rules-planner'
  | 'model-planner'
  | 'fallback';

/** One named step of the message chain. */
export interface ChainStep {
  /** A default step's name, or one of your own. */
  name: DefaultStepName | (string & {});
  middleware: Middleware<BotContext>;
}

/**
 * Returns the steps with `step` inserted before or after the named one; throws when there is
 * no step of that name, so a typo does not drop a rate limit silently.
 *
 * @example
 * chain: (steps) => insertStep(steps, { before: 'identify-sender' }, { name: 'rate-limit', middleware: limiter })
 */
export function insertStep(
  steps: readonly ChainStep[],
  where: { before: string } | { after: string },
  ...inserted: ChainStep[]
): ChainStep[] {
  const name = 'before' in where ? where.before : where.after;
  const index = steps.findIndex((step) => step.name === name);
  if (index < 0)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `The chain has no step named "${name}". Its steps: ${steps.map((step) => step.name).join(', ')}.`,
    });
  const at = 'before' in where ? index : index + 1;
  return [...steps.slice(0, at), ...inserted, ...steps.slice(at)];
}
