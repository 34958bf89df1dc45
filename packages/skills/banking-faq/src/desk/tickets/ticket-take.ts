import type { BotContext } from '@botwire/core';
import type { Desk } from '../desk';
import type { Member } from '../directory';
import { sendText, settleNotices } from './ticket-notices';
import { type Ticket, type TicketStore, ticketNumber } from './ticket-store';
import { moderatorLabel, type TicketStringKey, ticketText } from './ticket-strings';

/**
 * A moderator takes a waiting ticket (the caller checked the role): one active ticket per
 * moderator (claimed atomically), one taker per ticket (changed under its lock). The moderator
 * gets what the customer wrote while waiting; the customer learns the moderator's first name
 * only; the other staff's notices say who took it. Audited as `ticket.take`.
 */
export async function takeTicket(
  desk: Desk,
  store: TicketStore,
  context: BotContext,
  id: string,
): Promise<void> {
  const moderatorId = context.user.id;
  const me = await desk.directory.get(moderatorId);
  const locale = desk.localeOf(me, context.locale);
  const say = (key: TicketStringKey, params: Record<string, string | number> = {}) =>
    context.reply(ticketText(locale, key, params));
  const number = `#${id}`;
  const ticket = await store.get(id);
  if (!ticket) return void (await say('takeUnknown', { number }));
  if (ticket.userId === moderatorId) return void (await say('takeDenied'));
  if (ticket.state !== 'waiting') return void (await sayGone(desk, context, ticket, locale));
  const busy = await store.moderating(moderatorId);
  if (busy) return void (await say('takeBusy', { number: ticketNumber(busy) }));
  if (!(await store.claimModerator(moderatorId, id))) {
    const other = await store.moderating(moderatorId);
    return void (await say('takeBusy', { number: other ? ticketNumber(other) : number }));
  }
  const firstName = me?.firstName ?? context.user.name?.split(/\s+/)[0];
  const { ticket: taken, changed } = await store.mutate(id, (current) =>
    current.state === 'waiting'
      ? {
          ...current,
          state: 'taken',
          takenAt: desk.now(),
          moderatorId,
          ...(firstName ? { moderatorName: firstName } : {}),
        }
      : undefined,
  );
  if (!changed || !taken) {
    await store.releaseModerator(moderatorId, id);
    if (taken) await sayGone(desk, context, taken, locale);
    return;
  }
  await store.unlistWaiting(id);
  await desk.record(context, 'ticket.take', id, { customer: taken.userId });
  const lines = [ticketText(locale, 'tookModerator', { number, name: taken.customerName })];
  if (taken.followUps?.length)
    lines.push('', ticketText(locale, 'followUps'), ...taken.followUps.map((text) => `— ${text}`));
  await context.reply(lines.join('\n'));
  const customer = await desk.directory.get(taken.userId);
  await sendText(
    desk,
    customer,
    (l) => ticketText(l, 'joined', { number, moderator: moderatorLabel(l, firstName, true) }),
    taken,
  );
  const by = me?.name ?? context.user.name ?? moderatorId;
  await settleNotices(
    desk,
    taken,
    (l) => ticketText(l, 'noticeTaken', { number, name: taken.customerName, moderator: by }),
    moderatorId,
  );
}

/** Tells a moderator why a ticket cannot be taken: closed, theirs already, or someone else's. */
async function sayGone(desk: Desk, context: BotContext, ticket: Ticket, locale: 'ru' | 'en') {
  const number = ticketNumber(ticket);
  if (ticket.state === 'closed')
    return void (await context.reply(ticketText(locale, 'takeClosed', { number })));
  if (ticket.moderatorId === context.user.id)
    return void (await context.reply(ticketText(locale, 'takeOwn', { number })));
  const moderator: Member | undefined = ticket.moderatorId
    ? await desk.directory.get(ticket.moderatorId)
    : undefined;
  await context.reply(
    ticketText(locale, 'takeTaken', {
      number,
      moderator: moderator?.name ?? ticket.moderatorName ?? '?',
    }),
  );
}
