import type { Middleware } from '../middleware/composer';
import type { BotContext } from '../runtime/bot-context';
import type { UserRecord } from '../ports/storage';
import type { ClaimCode } from './claim-code';

/** Options for {@link accessControl}. */
export interface AccessControlOptions {
  /** `owner`: only the owner and admitted users get past; `open`: everyone does. */
  mode: 'owner' | 'open';
  /** Identities (`telegram:123`) or user ids admitted from the config. */
  allow: readonly string[];
  /** The claim code while the bot has no owner. */
  claimCode(): ClaimCode | undefined;
  /** Called once the code was claimed. */
  onClaimed(user: UserRecord): void;
}

/** True when the user is on the config's allow list, by id or by any of their identities. */
export function isOnAllowList(user: UserRecord, allow: readonly string[]): boolean {
  if (allow.includes(user.id)) return true;
  return user.identities.some((identity) =>
    allow.includes(`${identity.platform}:${identity.platformId}`),
  );
}

/**
 * Middleware that lets a message pass only from someone allowed to talk to the bot.
 * Secure by default: a new bot answers only its owner, who claims it with the one-time
 * code printed at start-up, and the users the owner admits. The person at a local terminal
 * (an adapter with the `localOperator` capability) is the owner, and so is a sender whose
 * adapter checked their credential (`verifiesRoles`, `verifiedRole: 'owner'`).
 */
export function accessControl(options: AccessControlOptions): Middleware<BotContext> {
  return async (context, next) => {
    const { users } = context.bot.storage;
    const { capabilities } = context.adapter;
    const { sender } = context.message;
    if (
      (capabilities.localOperator && sender.isLocalOperator) ||
      (capabilities.verifiesRoles && sender.verifiedRole === 'owner')
    ) {
      if (context.user.role !== 'owner')
        context.user = await users.update(context.user.id, { role: 'owner' });
      return next();
    }
    if (capabilities.verifiesRoles && sender.verifiedRole === 'user' && !context.user.role)
      context.user = await users.update(context.user.id, { role: 'user' });
    const claim = options.claimCode();
    if (claim?.active && context.message.kind === 'message') {
      const outcome = claim.tryClaim(context.user.id, context.text);
      if (outcome === 'claimed') {
        context.user = await users.update(context.user.id, { role: 'owner' });
        context.log.warn('bot-claimed', { user: context.user.id });
        options.onClaimed(context.user);
        await context.reply(context.t('access.claimed', { bot: context.bot.name }));
        return;
      }
      if (outcome === 'wrong' || outcome === 'locked') {
        await context.reply(context.t('access.claim_wrong'));
        return;
      }
    } else if (context.command?.name === 'claim') {
      await context.reply(context.t('access.claim_taken'));
      return;
    }
    if (!context.user.role && isOnAllowList(context.user, options.allow)) {
      context.user = await users.update(context.user.id, { role: 'user' });
    }
    if (context.user.role || options.mode === 'open') return next();
    context.log.info('access-denied', { user: context.user.id });
    await context.reply(context.t('access.private', { userId: context.user.id }));
  };
}
