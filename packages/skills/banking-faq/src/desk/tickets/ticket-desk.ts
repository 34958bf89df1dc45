import type { BotContext } from '@botwire/core';
import { atLeast, buttonPrefix, type Desk } from '../desk';
import { notifyStaff, sendText, settleNotices } from './ticket-notices';
import { type TicketStats, ticketStats } from './ticket-stats';
import {
  type Ticket,
  type TicketOrigin,
  type TicketOutcome,
  TicketStore,
  ticketNumber,
} from './ticket-store';
import { moderatorLabel, type TicketStringKey, ticketText } from './ticket-strings';
import { startSweeper } from './ticket-sweeper';
import { takeTicket } from './ticket-take';

export type { TicketStats } from './ticket-stats';
export type { Ticket, TicketOrigin, TicketOutcome } from './ticket-store';

/** How many follow-ups of a waiting ticket are kept, and how long each may be. */
const maxFollowUps = 20;
const maxFollowUpLength = 1000;

/**
 * Moderator hand-off: a customer's request opens a ticket, staff get it with the recent
 * conversation and a Take button, the taker's and the customer's messages are relayed both ways
 * (the customer sees "Moderator <first name>", never the account), `/end` from either side
 * closes it, and a ticket nobody takes in time gets a reply. All state is in storage, so a
 * restart keeps tickets and the relay. What a customer writes while their ticket waits is added
 * to the ticket (the moderator sees it on taking) instead of going to the FAQ.
 */
export class TicketDesk {
  /** The tickets in storage. */
  readonly store: TicketStore;
  private stopSweeper: (() => void) | undefined;

  constructor(readonly desk: Desk) {
    this.store = new TicketStore(desk.kv, desk.now);
  }

  /**
   * Opens a ticket for the sender and tells staff; refuses an unregistered sender when
   * registration is required, and points to the open ticket when they have one.
   */
  async open(context: BotContext, request: { origin: TicketOrigin; question?: string }) {
    const userId = context.user.id;
    const member = await this.desk.directory.get(userId);
    const locale = this.desk.localeOf(member, context.locale);
    const say = (key: TicketStringKey, params: Record<string, string | number> = {}) =>
      context.reply(ticketText(locale, key, params));
    if (this.desk.options.ticketsNeedRegistration && member?.registeredAt === undefined)
      return void (await say('needRegistration'));
    const existing = await this.activeFor(userId);
    if (existing) return void (await this.sayExisting(context, existing, locale));
    const ticket: Ticket = {
      id: await this.store.nextId(),
      userId,
      state: 'waiting',
      openedAt: this.desk.now(),
      origin: request.origin,
      customerName: member?.name ?? context.user.name ?? context.message.sender.name ?? userId,
      ...(request.question?.trim() ? { question: request.question.trim() } : {}),
    };
    await this.store.put(ticket);
    if (!(await this.store.claimOpen(userId, ticket.id))) {
      // Another message of theirs opened one at the same moment: that one counts.
      await this.store.remove(ticket.id);
      const winner = await this.activeFor(userId);
      if (winner) await this.sayExisting(context, winner, locale);
      return;
    }
    await this.store.listWaiting({ id: ticket.id, userId, openedAt: ticket.openedAt });
    const number = ticketNumber(ticket);
    await say('opened', { number });
    const notices = await notifyStaff(this.desk, ticket, member);
    if (Object.keys(notices).length === 0) return void (await say('noStaff', { number }));
    await this.store.mutate(ticket.id, (current) => ({
      ...current,
      notices: { ...current.notices, ...notices },
    }));
  }

  /**
   * Relays the sender's message when they are in a ticket: a moderator's to the customer, a
   * customer's to the moderator, or, while the ticket waits, adds it to the ticket. Returns
   * true when the message was handled here. Commands are never relayed.
   */
  async relay(context: BotContext): Promise<boolean> {
    if (context.message.kind !== 'message' || context.command) return false;
    const userId = context.user.id;
    const asModerator = await this.moderatingTicket(userId);
    const ticket = asModerator ?? (await this.activeFor(userId));
    if (!ticket) return false;
    const sender = await this.desk.directory.get(userId);
    const locale = this.desk.localeOf(sender, context.locale);
    const said = context.text.trim();
    const hasFile = context.message.attachments.length > 0;
    if (!said) {
      if (hasFile) await context.reply(ticketText(locale, 'fileOnly'));
      return hasFile;
    }
    const number = ticketNumber(ticket);
    if (ticket.state === 'waiting') {
      await this.store.mutate(ticket.id, (current) =>
        current.state === 'waiting'
          ? {
              ...current,
              followUps: [...(current.followUps ?? []), said.slice(0, maxFollowUpLength)].slice(
                -maxFollowUps,
              ),
            }
          : undefined,
      );
      await context.reply(ticketText(locale, 'added', { number }));
      return true;
    }
    const recipientId = asModerator ? ticket.userId : ticket.moderatorId;
    const recipient = recipientId ? await this.desk.directory.get(recipientId) : undefined;
    const theirs = this.desk.localeOf(recipient);
    const forwarded = asModerator
      ? `${moderatorLabel(theirs, ticket.moderatorName, true)}: ${said}`
      : ticketText(theirs, 'fromCustomer', { number, name: ticket.customerName, text: said });
    if (!(await sendText(this.desk, recipient, forwarded, ticket))) {
      await context.reply(ticketText(locale, 'notDelivered'));
      return true;
    }
    // The audit log keeps that a moderator answered, never what they wrote.
    if (asModerator) await this.desk.record(context, 'ticket.reply', ticket.id);
    if (hasFile) await context.reply(ticketText(locale, 'captionOnly'));
    return true;
  }

  /**
   * `/end`: closes the sender's ticket, as its moderator (`closed-by-moderator`) or as its
   * customer (`closed-by-user`, or `cancelled-by-user` while it waits), and tells both sides.
   */
  async end(context: BotContext): Promise<void> {
    const userId = context.user.id;
    const sender = await this.desk.directory.get(userId);
    const locale = this.desk.localeOf(sender, context.locale);
    const asModerator = await this.moderatingTicket(userId);
    const found = asModerator ?? (await this.activeFor(userId));
    if (!found) return void (await context.reply(ticketText(locale, 'endNone')));
    const { ticket, changed } = await this.store.mutate(found.id, (current) => {
      if (current.state === 'closed') return undefined;
      const outcome: TicketOutcome = asModerator
        ? 'closed-by-moderator'
        : current.state === 'waiting'
          ? 'cancelled-by-user'
          : 'closed-by-user';
      return { ...current, state: 'closed', closedAt: this.desk.now(), outcome };
    });
    if (ticket) await this.store.release(ticket);
    if (!ticket || !changed) return void (await context.reply(ticketText(locale, 'endNone')));
    const number = ticketNumber(ticket);
    const name = ticket.customerName;
    if (asModerator) {
      await this.desk.record(context, 'ticket.end', ticket.id, { outcome: 'closed-by-moderator' });
      await context.reply(ticketText(locale, 'youClosed', { number, name }));
      const customer = await this.desk.directory.get(ticket.userId);
      const label = moderatorLabel(this.desk.localeOf(customer), ticket.moderatorName, true);
      await sendText(this.desk, customer, (l) =>
        ticketText(l, 'closedByModerator', { number, moderator: label }),
      );
      return;
    }
    if (ticket.outcome === 'cancelled-by-user') {
      await context.reply(ticketText(locale, 'cancelledCustomer', { number }));
      await settleNotices(this.desk, ticket, (l) =>
        ticketText(l, 'noticeCancelled', { number, name }),
      );
      return;
    }
    await context.reply(ticketText(locale, 'closedCustomer', { number }));
    const moderator = ticket.moderatorId
      ? await this.desk.directory.get(ticket.moderatorId)
      : undefined;
    await sendText(this.desk, moderator, (l) =>
      ticketText(l, 'closedByCustomer', { number, name }),
    );
  }

  /** A press of a ticket button: `bank:ticket:take:<id>` takes the ticket (moderators and up). */
  async press(context: BotContext, data: string): Promise<void> {
    const sender = await this.desk.directory.get(context.user.id);
    const locale = this.desk.localeOf(sender, context.locale);
    const [action, id] = data.slice(`${buttonPrefix}ticket:`.length).split(':');
    if (action !== 'take' || !id)
      return void (await context.reply(ticketText(locale, 'unknownButton')));
    if (!atLeast(context.role, 'moderator'))
      return void (await context.reply(ticketText(locale, 'takeDenied')));
    await takeTicket(this.desk, this.store, context, id);
  }

  /** Starts the sweeper that replies to tickets nobody took in time (runs once at once too). */
  start(): void {
    this.stopSweeper ??= startSweeper(this.desk, this.store);
  }

  /** Stops the sweeper. */
  stop(): void {
    this.stopSweeper?.();
    this.stopSweeper = undefined;
  }

  /** Tickets, newest first, optionally in one state only. */
  async list(options: { limit?: number; state?: Ticket['state'] } = {}): Promise<Ticket[]> {
    const { limit = 20, state } = options;
    const all = (await this.store.all()).reverse();
    return (state ? all.filter((ticket) => ticket.state === state) : all).slice(0, limit);
  }

  /** Counts by state and outcome, waiting times and timeouts, for the admin panel. */
  async stats(): Promise<TicketStats> {
    return ticketStats(await this.store.all());
  }

  /** The customer's open (waiting or taken) ticket. */
  activeFor(userId: string): Promise<Ticket | undefined> {
    return this.store.activeFor(userId);
  }

  /** The ticket a moderator is talking in (taken by them, not closed). */
  moderatingTicket(userId: string): Promise<Ticket | undefined> {
    return this.store.moderating(userId);
  }

  private async sayExisting(context: BotContext, ticket: Ticket, locale: 'ru' | 'en') {
    const number = ticketNumber(ticket);
    await context.reply(
      ticket.state === 'taken'
        ? ticketText(locale, 'alreadyTaken', {
            number,
            moderator: moderatorLabel(locale, ticket.moderatorName),
          })
        : ticketText(locale, 'alreadyWaiting', { number }),
    );
  }
}
