import { Composer } from '../middleware/composer';
import type { BotContext } from '../runtime/bot-context';
import type { Role, UserRecord } from '../ports/storage';
import { hasRole, isRole } from './roles';

/** Finds a user by Botwire id (`usr_...`) or platform identity (`telegram:123`). */
async function findUser(context: BotContext, reference: string): Promise<UserRecord | undefined> {
  const { users } = context.bot.storage;
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
    await context.bot.storage.users.update(target.id, { role: role ?? null });
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
    const all = await context.bot.storage.users.list({ limit: 200 });
    const lines = all
      .filter((user) => user.role)
      .map((user) => {
        const identity = user.identities[0];
        const where = identity ? ` (${identity.platform}:${identity.platformId})` : '';
        return `${user.id} ${user.role}${user.name ? ` ${user.name}` : ''}${where}`;
      });
    return context.reply([context.t('access.users_title'), ...lines].join('\n'));
  });

  return composer;
}

/** The names of the built-in access commands, reserved so no skill can take them. */
export const accessCommandNames = ['claim', 'whoami', 'admit', 'revoke', 'role', 'users'] as const;
