import type { MessageRecord, OutgoingMessage } from '@botwire/core';
import { buttonPrefix, type Desk } from '../desk';
import type { Member } from '../directory';
import { type Ticket, ticketNumber } from './ticket-store';
import { ticketText } from './ticket-strings';

/** The data of a ticket's Take button: `bank:ticket:take:12`. */
export function takeButtonData(id: string): string {
  return `${buttonPrefix}ticket:take:${id}`;
}

/** How long one history line may be in a staff notice. */
const historyLineLength = 300;

function shorten(value: string, length: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** The notice staff get of a new ticket: number, customer, question, recent messages, Take. */
export function noticeMessage(
  ticket: Ticket,
  history: readonly MessageRecord[],
  locale: 'ru' | 'en',
): OutgoingMessage {
  const lines = [
    ticketText(locale, 'notice', {
      number: ticketNumber(ticket),
      name: ticket.customerName,
      question: ticket.question ? shorten(ticket.question, 500) : ticketText(locale, 'noQuestion'),
    }),
  ];
  const said = history.filter((record) => record.text.trim());
  if (said.length > 0) {
    lines.push('', ticketText(locale, 'history'));
    for (const record of said) {
      const who = record.direction === 'in' ? ticket.customerName : ticketText(locale, 'bot');
      lines.push(`${who}: ${shorten(record.text, historyLineLength)}`);
    }
  }
  return {
    text: lines.join('\n'),
    buttons: [[{ label: ticketText(locale, 'take'), data: takeButtonData(ticket.id) }]],
  };
}

/**
 * Sends the notice of a new ticket to every staff member but the customer. A member whose
 * messenger refuses is skipped (and logged). Returns the sent notice per staff user id.
 */
export async function notifyStaff(
  desk: Desk,
  ticket: Ticket,
  customer: Member | undefined,
): Promise<Record<string, string>> {
  const history =
    customer && desk.options.ticketHistory > 0
      ? await desk.services.storage.messages.list(customer.chatId, {
          limit: desk.options.ticketHistory,
        })
      : [];
  const staff = (await desk.staff()).filter((member) => member.userId !== ticket.userId);
  const sent = await Promise.all(
    staff.map(async (member) => {
      try {
        const result = await desk.send(
          member,
          noticeMessage(ticket, history, desk.localeOf(member)),
        );
        const id = result.platformMessageIds.at(-1);
        return id ? ([member.userId, id] as const) : undefined;
      } catch (error) {
        desk.services.log.warn('bank-desk-ticket-notice-failed', {
          ticket: ticket.id,
          staff: member.userId,
          error: error instanceof Error ? error.message : String(error),
        });
        return undefined;
      }
    }),
  );
  return Object.fromEntries(sent.filter((entry) => entry !== undefined));
}

/**
 * Replaces the staff's notices of a ticket (but `except`'s) with a line saying what became of
 * it, which also takes the Take button away. Failures are logged and skipped.
 */
export async function settleNotices(
  desk: Desk,
  ticket: Ticket,
  say: (locale: 'ru' | 'en') => string,
  except?: string,
): Promise<void> {
  const notices = Object.entries(ticket.notices ?? {}).filter(([userId]) => userId !== except);
  await Promise.all(
    notices.map(async ([userId, messageId]) => {
      try {
        const member = await desk.directory.get(userId);
        if (!member) return;
        await desk.edit(member, messageId, { text: say(desk.localeOf(member)), buttons: [] });
      } catch (error) {
        desk.services.log.warn('bank-desk-ticket-notice-edit-failed', {
          ticket: ticket.id,
          staff: userId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
}

/**
 * Sends a text (or a text per locale) to a member of a ticket; false, logged, when they cannot
 * be reached (unknown, or the messenger refused).
 */
export async function sendText(
  desk: Desk,
  member: Member | undefined,
  message: string | ((locale: 'ru' | 'en') => string),
  ticket?: Ticket,
): Promise<boolean> {
  if (!member) return false;
  const text = typeof message === 'string' ? message : message(desk.localeOf(member));
  try {
    await desk.send(member, { text });
    return true;
  } catch (error) {
    desk.services.log.warn('bank-desk-ticket-send-failed', {
      to: member.userId,
      ...(ticket ? { ticket: ticket.id } : {}),
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}
