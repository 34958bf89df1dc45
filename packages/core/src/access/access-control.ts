import { coreStrings } from '../i18n/core-strings';
import { type Locale, normalizeLocale, translate } from '../i18n/translate';
import type { Middleware } from '../middleware/composer';
import type { UserRecord } from '../ports/storage';
import type { BotContext } from '../runtime/bot-context';
import { type AccessRequest, AccessRequests } from './access-requests';
import type { ClaimCodes } from './claim-code';
import { hasRole } from './roles';

/** Options for {@link accessControl}. */
export interface AccessControlOptions {
  /** The claim code store; a message can claim the bot while a code is active. */
  claimCodes: ClaimCodes;
  /** Called once the bot has an owner (claimed, or the local operator or web owner wrote). */
  onClaimed?(user: UserRecord): void;
}

/** True when the user is on the config's allow list, by id or by any of their identities. */
export function isOnAllowList(user: UserRecord, allow: readonly string[]): boolean {
  if (allow.includes(user.id)) return true;
  return user.identities.some((identity) =>
    allow.includes(`${identity.platform}:${identity.platformId}`),
  );
}

/** Button data of the Admit and Decline buttons the admins get with an access request. */
export const admitButtonPrefix = 'botwire:admit:';
export const declineButtonPrefix = 'botwire:decline-access:';

/**
 * Middleware that lets a message pass only from someone allowed to talk to the bot (the
 * settings' `access` and `allow`). Secure by default: a new bot answers only its owner, who
 * claims it with the one-time code shown on the terminal at start-up, and the users the owner
 * admits. The person at a local terminal (an adapter with the `localOperator` capability) is
 * the owner, and so is a sender whose adapter checked their credential (`verifiesRoles`,
 * `verifiedRole: 'owner'`). A stranger is told how to get in, and the admins are asked once,
 * in their own chat, with an Admit button.
 */
export function accessControl(options: AccessControlOptions): Middleware<BotContext> {
  // Home chats this process already stored, so an admin's every message costs no storage read.
  const knownHomeChats = new Map<string, string>();
  const rememberHomeChat = async (context: BotContext, requests: AccessRequests) => {
    if (context.message.chat.type !== 'private' || !hasRole(context.role, 'admin')) return;
    if (knownHomeChats.get(context.user.id) === context.chat.id) return;
    await requests.setHomeChat(context.user.id, {
      platform: context.adapter.name,
      chatPlatformId: context.message.chat.platformId,
      chatId: context.chat.id,
    });
    knownHomeChats.set(context.user.id, context.chat.id);
  };
  return async (context, next) => {
    const { storage, settings } = context.services;
    const { users } = storage;
    const requests = new AccessRequests(storage.kv);
    const { capabilities } = context.adapter;
    const { sender } = context.message;
    if (
      (capabilities.localOperator && sender.isLocalOperator) ||
      (capabilities.verifiesRoles && sender.verifiedRole === 'owner')
    ) {
      if (context.user.role !== 'owner') {
        context.user = await users.update(context.user.id, { role: 'owner' });
        // The bot has an owner now: the claim code has done its job.
        await options.claimCodes.withdraw();
        options.onClaimed?.(context.user);
      }
      await rememberHomeChat(context, requests);
      return next();
    }
    if (capabilities.verifiesRoles && sender.verifiedRole === 'user' && !context.user.role)
      context.user = await users.update(context.user.id, { role: 'user' });
    if (context.message.kind === 'message') {
      const outcome = await options.claimCodes.tryClaim(context.user.id, context.text);
      if (outcome === 'claimed') {
        context.user = await users.update(context.user.id, { role: 'owner' });
        context.log.warn('bot-claimed', { user: context.user.id });
        options.onClaimed?.(context.user);
        await rememberHomeChat(context, requests);
        await context.reply(context.t('access.claimed', { bot: settings.name }));
        return;
      }
      if (outcome === 'wrong' || outcome === 'locked') {
        await context.reply(context.t('access.claim_wrong'));
        return;
      }
      if (outcome === 'none' && context.command?.name === 'claim') {
        await context.reply(context.t('access.claim_taken'));
        return;
      }
    }
    if (!context.user.role && isOnAllowList(context.user, settings.allow)) {
      context.user = await users.update(context.user.id, { role: 'user' });
    }
    if (context.user.role) {
      await rememberHomeChat(context, requests);
      return next();
    }
    if (settings.access === 'open') return next();
    if (context.message.job) {
      // A job of someone who lost access since: dropped, and nobody is asked about it.
      context.log.info('job-dropped-no-access', {
        user: context.user.id,
        job: context.message.job.id,
      });
      return;
    }
    await turnAway(context, requests, options.claimCodes);
  };
}

/**
 * A stranger on a private bot: while nobody has claimed it, they are told to send the code
 * from the terminal; otherwise their request goes to the admins (once) and they are told so.
 */
async function turnAway(
  context: BotContext,
  requests: AccessRequests,
  claimCodes: ClaimCodes,
): Promise<void> {
  context.log.info('access-denied', { user: context.user.id });
  if (await claimCodes.active()) {
    await context.reply(context.t('access.claim_hint', { bot: context.botName }));
    return;
  }
  if (context.message.kind !== 'message') return;
  const { sender } = context.message;
  const request: AccessRequest = {
    userId: context.user.id,
    ...(context.user.name ? { name: context.user.name } : {}),
    ...(context.user.username ? { username: context.user.username } : {}),
    platform: context.adapter.name,
    platformId: sender.platformId,
    chatPlatformId: context.message.chat.platformId,
    chatType: context.message.chat.type,
    locale: context.locale,
    at: new Date().toISOString(),
  };
  if (!(await requests.add(request))) {
    await context.reply(context.t('access.request_pending', { userId: context.user.id }));
    return;
  }
  const told = await notifyAdmins(context, requests, request);
  await context.reply(
    context.t(told > 0 ? 'access.requested' : 'access.private', { userId: context.user.id }),
  );
}

/** Sends the request with Admit and Decline buttons to every owner and admin with a home chat. */
async function notifyAdmins(
  context: BotContext,
  requests: AccessRequests,
  request: AccessRequest,
): Promise<number> {
  const { storage } = context.services;
  const admins = [
    ...(await storage.users.list({ role: 'owner', limit: 20 })),
    ...(await storage.users.list({ role: 'admin', limit: 20 })),
  ];
  let told = 0;
  for (const admin of admins) {
    const home = await requests.homeChat(admin.id);
    const adapter = home ? context.services.adapter(home.platform) : undefined;
    if (!home || !adapter) continue;
    const locale: Locale = normalizeLocale(admin.locale, context.services.settings.locale ?? 'en');
    const t = (key: string, params?: Record<string, string | number>) =>
      translate(coreStrings, locale, key, params);
    try {
      await context.services.deliver(
        adapter,
        { platformId: home.chatPlatformId, type: 'private' },
        {
          text: t('access.request_notice', { who: describeRequester(request) }),
          buttons: [
            [
              { label: t('access.admit_button'), data: `${admitButtonPrefix}${request.userId}` },
              {
                label: t('access.decline_button'),
                data: `${declineButtonPrefix}${request.userId}`,
              },
            ],
          ],
        },
        { chatId: home.chatId },
      );
      told += 1;
    } catch (error) {
      context.log.warn('access-request-notice-failed', { admin: admin.id, error });
    }
  }
  return told;
}

/** `Ann (@ann, telegram:42, usr_…)`. */
export function describeRequester(request: AccessRequest): string {
  const parts = [
    ...(request.username ? [`@${request.username}`] : []),
    `${request.platform}:${request.platformId}`,
    request.userId,
  ];
  return `${request.name ?? request.username ?? request.platformId} (${parts.join(', ')})`;
}
