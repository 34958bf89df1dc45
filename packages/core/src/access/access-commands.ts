import { coreStrings } from '../i18n/core-strings';
import { normalizeLocale, translate } from '../i18n/translate';
import { Composer } from '../middleware/composer';
import type { Role, UserRecord } from '../ports/storage';
import type { BotContext } from '../runtime/bot-context';
import { admitButtonPrefix, declineButtonPrefix, describeRequester } from './access-control';
import { AccessRequests } from './access-requests';
import { hasRole, isRole } from './roles';

/** Finds a user by Botwire id (`usr_...`) or platform identity (`telegram:123`). */
async function findUser(context: BotContext, reference: string): Promise<UserRecord | undefined> {
  const { users } = context.services.storage;
  if (reference.startsWith('usr_')) return users.get(reference);
  const separator = reference.indexOf(':');
  if (separator <= 0) return undefined;
  return users.findByIdentity({
    platform: reference.slice(0, separator),
    platformId: reference.slice(separator + 1),
  });
}

/** May `actor` give `target` the role `role` (or take theirs with undefined)? */
function maySetRole(actor: Role | undefined, target: UserRecord, role: Role | undefined): boolean {
  if (!hasRole(actor, 'admin')) return false;
  if (actor === 'owner') return true;
  // Admins manage moderators and users, never owners or other admins.
  const touchesTop = (value: Role | undefined) => value === 'owner' || value === 'admin';
  return !touchesTop(target.role) && !touchesTop(role);
}

/**
 * The built-in commands that manage access: `/whoami`, `/admit`, `/revoke`, `/role`, `/users`.
 * Admins and the owner manage users; only the owner makes admins and owners.
 */
export function accessCommands(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('whoami', (context) =>
    context.reply(
      context.t('access.whoami', {
        userId: context.user.id,
        role: context.role ?? context.t('role.none'),
      }),
    ),
  );

  const change = async (
    context: BotContext,
    reference: string,
    role: Role | undefined,
    done: string,
  ) => {
    if (!hasRole(context.role, 'admin'))
      return context.reply(context.t('access.forbidden', { role: 'admin' }));
    const target = reference ? await findUser(context, reference) : undefined;
    if (!target)
      return context.reply(context.t('access.unknown_user', { userId: reference || '?' }));
    if (target.id === context.user.id) return context.reply(context.t('access.cannot_change_self'));
    if (!maySetRole(context.role, target, role))
      return context.reply(context.t('access.forbidden', { role: 'owner' }));
    await context.services.storage.users.update(target.id, { role: role ?? null });
    // A decision on the user settles their waiting request, if any.
    await new AccessRequests(context.services.storage.kv).take(target.id);
    context.log.warn('role-changed', { target: target.id, role: role ?? null });
    return context.reply(
      context.t(done, { userId: target.id, role: role ?? context.t('role.none') }),
    );
  };

  composer.command('admit', (context) =>
    change(context, context.command?.argument.split(/\s+/)[0] ?? '', 'user', 'access.admitted'),
  );
  composer.command('revoke', (context) =>
    change(context, context.command?.argument.split(/\s+/)[0] ?? '', undefined, 'access.revoked'),
  );
  composer.command('role', async (context) => {
    const [reference = '', role = ''] = context.command?.argument.split(/\s+/) ?? [];
    if (!isRole(role)) return context.reply(context.t('access.bad_role', { role }));
    return change(context, reference, role, 'access.role_set');
  });

  composer.command('users', async (context) => {
    if (!hasRole(context.role, 'admin'))
      return context.reply(context.t('access.forbidden', { role: 'admin' }));
    const all = await context.services.storage.users.list({ limit: 200 });
    const lines = all
      .filter((user) => user.role)
      .map((user) => {
        const identity = user.identities[0];
        const where = identity ? ` (${identity.platform}:${identity.platformId})` : '';
        return `${user.id} ${user.role}${user.name ? ` ${user.name}` : ''}${where}`;
      });
    const pending = await new AccessRequests(context.services.storage.kv).list();
    const requestLines = pending.length
      ? [
          '',
          context.t('access.requests_title'),
          ...pending.map((request) => describeRequester(request)),
        ]
      : [];
    return context.reply({
      text: [context.t('access.users_title'), ...lines, ...requestLines].join('\n'),
      ...(pending.length
        ? {
            buttons: pending.slice(0, 5).map((request) => [
              {
                label: `${context.t('access.admit_button')}: ${request.name ?? request.platformId}`,
                data: `${admitButtonPrefix}${request.userId}`,
              },
            ]),
          }
        : {}),
    });
  });

  // The Admit and Decline buttons of an access request.
  composer.on('button', async (context, next) => {
    const data = context.message.buttonData ?? '';
    const admit = data.startsWith(admitButtonPrefix);
    if (!admit && !data.startsWith(declineButtonPrefix)) return next();
    const userId = data.slice((admit ? admitButtonPrefix : declineButtonPrefix).length);
    if (!hasRole(context.role, 'admin'))
      return context.reply(context.t('access.forbidden', { role: 'admin' }));
    const requests = new AccessRequests(context.services.storage.kv);
    const request = await requests.take(userId);
    const target = await context.services.storage.users.get(userId);
    if (!target) return context.reply(context.t('access.unknown_user', { userId }));
    if (!admit) {
      context.log.info('access-declined', { target: userId });
      return context.reply(context.t('access.declined', { userId }));
    }
    if (target.role) return context.reply(context.t('access.already_admitted', { userId }));
    await context.services.storage.users.update(userId, { role: 'user' });
    context.log.warn('role-changed', { target: userId, role: 'user' });
    await context.reply(context.t('access.admitted', { userId, role: 'user' }));
    // Tell the newcomer, in their own chat and language.
    const adapter = request ? context.services.adapter(request.platform) : undefined;
    if (request && adapter) {
      const locale = normalizeLocale(request.locale, context.services.settings.locale ?? 'en');
      try {
        await context.services.deliver(
          adapter,
          { platformId: request.chatPlatformId, type: request.chatType },
          { text: translate(coreStrings, locale, 'access.welcome', { bot: context.botName }) },
        );
      } catch (error) {
        context.log.warn('access-welcome-failed', { target: userId, error });
      }
    }
  });

  return composer;
}

/** The names of the built-in access commands, reserved so no skill can take them. */
export const accessCommandNames = ['claim', 'whoami', 'admit', 'revoke', 'role', 'users'] as const;
