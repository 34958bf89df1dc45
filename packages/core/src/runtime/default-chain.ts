import { accessCommands } from '../access/access-commands';
import { accessControl } from '../access/access-control';
import type { ClaimCodes } from '../access/claim-code';
import type { OutgoingDegrader } from '../adapters/degrade-outgoing';
import type { Conversations } from '../conversations/conversations';
import { Composer, type Middleware } from '../middleware/composer';
import { type PlannerOptions, plannerSteps } from '../planner/planner-steps';
import type { JobQueue } from '../ports/job-queue';
import { budgetMiddleware } from '../usage/budget-middleware';
import type { UsageLimits } from '../usage/usage-limits';
import type { UsageTracker } from '../usage/usage-tracker';
import { backgroundRequestStep } from './background-request';
import type { BotContext } from './bot-context';
import { builtinCommands, fallbackReply } from './builtin-commands';
import type { ChainStep } from './chain-steps';
import { identifySender } from './identify-sender';
import { paymentStep } from './payment-step';
import { recordMessage } from './record-message';

/** What the default chain is built from; the bot (its composition root) supplies each part. */
export interface DefaultChainParts {
  degrader: OutgoingDegrader;
  claimCodes: ClaimCodes;
  /** Called once the bot has an owner. */
  onClaimed(): void;
  usage: UsageTracker;
  limits: UsageLimits | undefined;
  planner: PlannerOptions;
  /** `/token`; undefined when the bot has no HTTP server. */
  rotateOwnerToken?: () => Promise<string | undefined>;
  /** The config's middleware. */
  middleware: readonly Middleware<BotContext>[];
  /** What `bot.use()` added, read at each message so it works before and after start. */
  added(): Middleware<BotContext>;
  conversations: Conversations;
  /** The bot's job queue, for `/jobs`. */
  jobs?: () => JobQueue | undefined;
}

/**
 * The default chain, every step named: identify sender → access control → record message →
 * payments → built-in commands → budget → user middleware → conversations → background request →
 * pending confirmation → rules planner → model planner → fallback. `config.chain` may reorder or extend it.
 */
export function defaultChain(parts: DefaultChainParts): ChainStep[] {
  const planner = plannerSteps(parts.planner);
  const builtins = builtinCommands({
    ...(parts.rotateOwnerToken ? { rotateOwnerToken: parts.rotateOwnerToken } : {}),
    ...(parts.jobs ? { jobs: parts.jobs } : {}),
  }).middleware();
  const access = accessCommands().middleware();
  const userMiddleware = new Composer<BotContext>(...parts.middleware).middleware();
  return [
    { name: 'identify-sender', middleware: identifySender(parts.degrader) },
    {
      name: 'access-control',
      middleware: accessControl({ claimCodes: parts.claimCodes, onClaimed: parts.onClaimed }),
    },
    { name: 'record-message', middleware: recordMessage() },
    { name: 'payments', middleware: paymentStep() },
    {
      name: 'builtin-commands',
      middleware: async (context, next) => {
        await builtins(context, async () => {
          await access(context, next);
        });
      },
    },
    { name: 'budget', middleware: budgetMiddleware(parts.usage, parts.limits) },
    {
      name: 'user-middleware',
      middleware: async (context, next) => {
        await userMiddleware(context, async () => {
          await parts.added()(context, next);
        });
      },
    },
    { name: 'conversations', middleware: parts.conversations.middleware() },
    { name: 'background-request', middleware: backgroundRequestStep() },
    { name: 'pending-confirmation', middleware: planner.confirmation },
    { name: 'rules-planner', middleware: planner.rules },
    { name: 'model-planner', middleware: planner.model },
    { name: 'fallback', middleware: fallbackReply() },
  ];
}
