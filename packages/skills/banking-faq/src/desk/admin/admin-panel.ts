import type { BotContext, Button, UserRecord } from '@botwire/core';
import type { BroadcastDesk } from '../broadcast/broadcast-desk';
import { atLeast, buttonPrefix, type Desk } from '../desk';
import { text } from '../desk-text';
import { deskLocale, type Member } from '../directory';
import type { Registration } from '../registration/registration';
import type { TicketDesk } from '../tickets/ticket-desk';
import { ticketNumber } from '../tickets/ticket-store';
import { adminStrings as strings } from './admin-strings';

type Section = 'users' | 'tickets' | 'broadcasts' | 'moderators' | 'audit';
const sections: readonly Section[] = ['users', 'tickets', 'broadcasts', 'moderators', 'audit'];
/** How many rows a section lists. */
const listed = 10;

/**
 * `/admin`: for admins (and the owner) only. Shows users, tickets (waiting time and outcome),
 * broadcast history, moderators and the audit log, one section per button; grants and revokes
 * the moderator role (buttons, or `/admin grant|revoke <user id>`). Every use is audited.
 */
export class AdminPanel {
  constructor(
    readonly desk: Desk,
    readonly parts: { tickets: TicketDesk; broadcasts: BroadcastDesk; registration: Registration },
  ) {}

  /** `/admin [grant|revoke <user>]`. */
  async show(context: BotContext): Promise<void> {
    const locale = deskLocale(context.locale);
    if (!atLeast(context.role, 'admin')) {
      await context.reply(text(strings, locale, 'denied'));
      return;
    }
    const [action = '', reference = ''] = (context.command?.argument ?? '').split(/\s+/);
    if (action === 'grant' || action === 'revoke') {
      const user = await this.findUser(reference);
      if (!user) {
        await context.reply(text(strings, locale, 'notFound', { reference }));
        return;
      }
      await this.change(context, user, action === 'grant' ? 'moderator' : 'user');
      return;
    }
    if (action) {
      await context.reply(text(strings, locale, 'usage'));
      return;
    }
    await this.desk.record(context, 'admin.view', undefined, { section: 'summary' });
    const members = await this.desk.directory.list();
    const stats = await this.parts.tickets.stats();
    const moderators = await this.desk.services.storage.users.list({ role: 'moderator' });
    await context.reply({
      text: text(strings, locale, 'title', {
        members: members.length,
        registered: members.filter((member) => member.registeredAt).length,
        open: stats.waiting + stats.taken,
        moderators: moderators.length,
      }),
      buttons: [
        sections.slice(0, 3).map((section) => sectionButton(locale, section)),
        sections.slice(3).map((section) => sectionButton(locale, section)),
      ],
    });
  }

  /** `bank:admin:<section>` and `bank:admin:grant|revoke:<user id>`. */
  async press(context: BotContext, data: string): Promise<void> {
    const locale = deskLocale(context.locale);
    if (!atLeast(context.role, 'admin')) {
      await context.reply(text(strings, locale, 'denied'));
      return;
    }
    const [, , action = '', userId = ''] = data.split(':');
    if (action === 'grant' || action === 'revoke') {
      const user = await this.desk.services.storage.users.get(userId);
      if (!user) {
        await context.reply(text(strings, locale, 'notFound', { reference: userId }));
        return;
      }
      await this.change(context, user, action === 'grant' ? 'moderator' : 'user');
      return;
    }
    if (!(sections as readonly string[]).includes(action)) return;
    await this.desk.record(context, 'admin.view', undefined, { section: action });
    await context.reply(await this.section(locale, action as Section));
  }

  private async section(locale: 'ru' | 'en', section: Section) {
    const none = text(strings, locale, 'none');
    const lines = (rows: string[]) => (rows.length ? rows.join('\n') : none);
    if (section === 'users') {
      const members = await this.desk.directory.list();
      const newest = [...members].sort((a, b) => b.firstSeen - a.firstSeen).slice(0, listed);
      const users = await Promise.all(
        newest.map((member) => this.desk.services.storage.users.get(member.userId)),
      );
      const buttons: Button[][] = [];
      const rows = newest.map((member, index) => {
        const user = users[index];
        if (user && (!user.role || user.role === 'user'))
          buttons.push([
            {
              label: `+ ${text(strings, locale, 'moderators')}: ${member.name ?? member.userId}`,
              data: `${buttonPrefix}admin:grant:${member.userId}`,
            },
          ]);
        return memberLine(member, user);
      });
      const count = (test: (member: Member) => boolean) => members.filter(test).length;
      return {
        text: `${text(strings, locale, 'usersTitle', {
          members: members.length,
          registered: count((member) => member.registeredAt !== undefined),
          blocked: count((member) => member.blockedAt !== undefined),
          optedOut: count((member) => member.optedOut === true),
          ru: count((member) => member.locale === 'ru'),
          en: count((member) => member.locale === 'en'),
        })}\n${lines(rows)}\n\n${text(strings, locale, 'grantHint')}`,
        buttons,
      };
    }
    if (section === 'tickets') {
      const stats = await this.parts.tickets.stats();
      const tickets = await this.parts.tickets.list({ limit: listed });
      const rows = tickets.map((ticket) => {
        const waited = (ticket.takenAt ?? ticket.closedAt ?? this.desk.now()) - ticket.openedAt;
        const who = ticket.moderatorName ? ` · ${ticket.moderatorName}` : '';
        return `${ticketNumber(ticket)} · ${ticket.customerName} · ${ticket.state}${ticket.outcome ? ` (${ticket.outcome})` : ''}${who} · ${when(ticket.openedAt)} · ${duration(waited)}`;
      });
      return {
        text: `${text(strings, locale, 'ticketsTitle', {
          waiting: stats.waiting,
          taken: stats.taken,
          closed: stats.closed,
          wait: stats.averageWaitMs === undefined ? '—' : duration(stats.averageWaitMs),
          timedOut: stats.timedOut,
        })}\n${lines(rows)}`,
      };
    }
    if (section === 'broadcasts') {
      const history = await this.parts.broadcasts.history(listed);
      const rows = history.map(
        (broadcast) =>
          `${broadcast.id} · ${broadcast.state} · ${when(broadcast.createdAt)}${broadcast.audience ? ` · ${broadcast.audience}` : ''}${broadcast.total !== undefined ? ` · ${broadcast.counts.sent}/${broadcast.total} (failed ${broadcast.counts.failed}, blocked ${broadcast.counts.blocked}, skipped ${broadcast.counts.skipped + (broadcast.skippedBefore ?? 0)})` : ''} · «${broadcast.text.slice(0, 40)}»`,
      );
      return { text: `${text(strings, locale, 'broadcastsTitle')}\n${lines(rows)}` };
    }
    if (section === 'moderators') {
      const moderators = await this.desk.services.storage.users.list({ role: 'moderator' });
      return {
        text: `${text(strings, locale, 'moderatorsTitle')}\n${lines(moderators.map((user) => `${user.name ?? user.id} · ${user.id}`))}\n\n${text(strings, locale, 'grantHint')}`,
        buttons: moderators
          .slice(0, listed)
          .map((user) => [
            { label: `− ${user.name ?? user.id}`, data: `${buttonPrefix}admin:revoke:${user.id}` },
          ]),
      };
    }
    const entries = await this.desk.audit.recent(15);
    return {
      text: `${text(strings, locale, 'auditTitle')}\n${lines(
        entries.map(
          (entry) =>
            `${when(entry.at)} · ${entry.actor} (${entry.role}) · ${entry.action}${entry.target ? ` → ${entry.target}` : ''}${entry.details ? ` ${JSON.stringify(entry.details)}` : ''}`,
        ),
      )}`,
    };
  }

  /** Grants or revokes the moderator role; admins and the owner keep theirs (use `/role`). */
  private async change(context: BotContext, user: UserRecord, role: 'moderator' | 'user') {
    const locale = deskLocale(context.locale);
    if (user.role === 'admin' || user.role === 'owner') {
      await context.reply(text(strings, locale, 'cannotChange', { role: user.role }));
      return;
    }
    await this.desk.services.storage.users.update(user.id, { role });
    await this.desk.record(context, role === 'moderator' ? 'role.grant' : 'role.revoke', user.id, {
      role: 'moderator',
    });
    const name = user.name ?? user.id;
    await context.reply(
      text(strings, locale, role === 'moderator' ? 'granted' : 'revoked', { name }),
    );
    const member = await this.desk.directory.get(user.id);
    if (member)
      await this.desk
        .send(member, {
          text: text(
            strings,
            this.desk.localeOf(member),
            role === 'moderator' ? 'youModerator' : 'youUser',
          ),
        })
        .catch((error: unknown) => context.log.warn('bank-role-notice-failed', { error }));
  }

  /** A user by Botwire id, by identity (`telegram:42`), by @username or by platform id alone. */
  private async findUser(reference: string): Promise<UserRecord | undefined> {
    if (!reference) return undefined;
    const { users } = this.desk.services.storage;
    const byId = await users.get(reference);
    if (byId) return byId;
    const [platform, platformId] = reference.split(':');
    if (platform && platformId) return users.findByIdentity({ platform, platformId });
    const handle = reference.replace(/^@/, '').toLowerCase();
    for (const member of await this.desk.directory.list()) {
      const user = await users.get(member.userId);
      if (user?.username?.toLowerCase() === handle || member.chat.platformId === reference)
        return user;
    }
    return undefined;
  }
}

function sectionButton(locale: 'ru' | 'en', section: Section): Button {
  return { label: text(strings, locale, section), data: `${buttonPrefix}admin:${section}` };
}

function memberLine(member: Member, user: UserRecord | undefined): string {
  const marks = [
    member.registeredAt ? '✓' : '',
    member.blockedAt ? '⛔' : '',
    member.optedOut ? '🔕' : '',
  ].join('');
  return `${member.name ?? '—'} · ${member.userId} · ${member.platform} · ${member.locale} · ${user?.role ?? 'user'}${marks ? ` ${marks}` : ''}`;
}

/** `2026-11-28 19:05` in UTC. */
function when(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}

/** `45 s`, `12 min`, `3.5 h`. */
function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
