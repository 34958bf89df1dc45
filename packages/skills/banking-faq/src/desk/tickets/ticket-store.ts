import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@botwire/core';
import { deskNamespace } from '../directory';

/** How a ticket was asked for. */
export type TicketOrigin = 'command' | 'faq' | 'button';

/** How a ticket ended. */
export type TicketOutcome = 'closed-by-user' | 'closed-by-moderator' | 'cancelled-by-user';

/** A support ticket: a customer's request for a moderator, from opening to closing. */
export interface Ticket {
  /** The ticket's number as a string (`12`); shown as `#12`. */
  id: string;
  /** The customer's Botwire user id. */
  userId: string;
  /** `waiting` for a moderator, `taken` by one (the relay runs), or `closed`. */
  state: 'waiting' | 'taken' | 'closed';
  /** When it was opened, in ms since the epoch. */
  openedAt: number;
  /** How it was asked for. */
  origin: TicketOrigin;
  /** The customer's question, when there was one. */
  question?: string;
  /** The customer's name for staff screens. */
  customerName: string;
  /** What the customer wrote while the ticket waited (shown to the moderator who takes it). */
  followUps?: string[];
  /** The staff notice of the ticket, per staff user id: the platform message id to edit. */
  notices?: Record<string, string>;
  /** The moderator who took it. */
  moderatorId?: string;
  /** Their first name: all a customer sees of them. */
  moderatorName?: string;
  takenAt?: number;
  closedAt?: number;
  outcome?: TicketOutcome;
  /** When the customer was told that nobody took the ticket in time. */
  timeoutRepliedAt?: number;
}

/** An entry of the index of waiting tickets, which the timeout sweeper reads. */
export interface WaitingEntry {
  id: string;
  userId: string;
  openedAt: number;
  /** True once the timeout reply was sent, so later sweeps skip the ticket. */
  replied?: boolean;
}

const lockTtlMs = 5_000;
const lockWaitMs = 6_000;

/** `#12`: how a ticket is shown. */
export function ticketNumber(ticket: Pick<Ticket, 'id'>): string {
  return `#${ticket.id}`;
}

/** Keys sort as numbers: `ticket:000000012`. */
function padded(id: string): string {
  return id.padStart(9, '0');
}

/**
 * The tickets in the bot's key-value store (namespace `bank-desk`), shared by every process
 * on the same storage: `ticket:<n>` records, `open-ticket:<userId>` and
 * `moderator-ticket:<userId>` claims (taken with the atomic `add`), the `ticket-waiting:` index,
 * `ticket-timeout:<n>` markers and a short lock per ticket for read-modify-write.
 */
export class TicketStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The next ticket number (1, 2, ...); numbers a lost race used are skipped. */
  async nextId(): Promise<string> {
    return String(await this.kv.increment(deskNamespace, 'ticket-counter'));
  }

  /** The ticket, or undefined when there is no such number. */
  get(id: string): Promise<Ticket | undefined> {
    return this.kv.get<Ticket>(deskNamespace, `ticket:${padded(id)}`);
  }

  /** Saves a ticket as given. */
  put(ticket: Ticket): Promise<void> {
    return this.kv.set(deskNamespace, `ticket:${padded(ticket.id)}`, ticket);
  }

  /** Deletes a ticket record (one that lost the race for the customer's claim). */
  async remove(id: string): Promise<void> {
    await this.kv.delete(deskNamespace, `ticket:${padded(id)}`);
  }

  /**
   * Changes a ticket under its lock, so two processes never overwrite each other's change.
   * `change` returns the new ticket, or undefined to leave it as it is. Returns what is stored.
   */
  async mutate(
    id: string,
    change: (ticket: Ticket) => Ticket | undefined,
  ): Promise<{ ticket: Ticket | undefined; changed: boolean }> {
    const lockKey = `ticket-lock:${padded(id)}`;
    const token = randomUUID();
    const deadline = this.now() + lockWaitMs;
    while (!(await this.kv.add(deskNamespace, lockKey, token, { ttlMs: lockTtlMs }))) {
      if (this.now() > deadline) throw new Error(`Ticket #${id} stays locked.`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    try {
      const ticket = await this.get(id);
      const next = ticket ? change(ticket) : undefined;
      if (!next) return { ticket, changed: false };
      await this.put(next);
      return { ticket: next, changed: true };
    } finally {
      if ((await this.kv.get(deskNamespace, lockKey)) === token)
        await this.kv.delete(deskNamespace, lockKey);
    }
  }

  /** The number of the customer's open (waiting or taken) ticket. */
  openOf(userId: string): Promise<string | undefined> {
    return this.kv.get<string>(deskNamespace, `open-ticket:${userId}`);
  }

  /**
   * Claims the customer's one open ticket; false when they have one already. A claim left on a
   * closed ticket (a crash between closing and freeing it) is freed and claimed again.
   */
  async claimOpen(userId: string, id: string): Promise<boolean> {
    const key = `open-ticket:${userId}`;
    if (await this.kv.add(deskNamespace, key, id)) return true;
    const held = await this.kv.get<string>(deskNamespace, key);
    const holder = held ? await this.get(held) : undefined;
    if (held === undefined || (holder && holder.state !== 'closed')) return false;
    await this.releaseKey(key, held);
    return this.kv.add(deskNamespace, key, id);
  }

  /** The number of the ticket a moderator is talking in. */
  moderatorOf(userId: string): Promise<string | undefined> {
    return this.kv.get<string>(deskNamespace, `moderator-ticket:${userId}`);
  }

  /** Claims the moderator's one active ticket; false when they are in one already. */
  claimModerator(userId: string, id: string): Promise<boolean> {
    return this.kv.add(deskNamespace, `moderator-ticket:${userId}`, id);
  }

  /** The customer's open (waiting or taken) ticket. */
  async activeFor(userId: string): Promise<Ticket | undefined> {
    const id = await this.openOf(userId);
    const ticket = id ? await this.get(id) : undefined;
    return ticket && ticket.state !== 'closed' && ticket.userId === userId ? ticket : undefined;
  }

  /**
   * The ticket a moderator is talking in (taken by them, not closed). A claim that names any
   * other ticket (left by a take that lost its race, or by a crash) is freed.
   */
  async moderating(userId: string): Promise<Ticket | undefined> {
    const id = await this.moderatorOf(userId);
    if (!id) return undefined;
    const ticket = await this.get(id);
    if (ticket?.state === 'taken' && ticket.moderatorId === userId) return ticket;
    await this.releaseModerator(userId, id);
    return undefined;
  }

  /** Frees the customer's and the moderator's claims of a ticket (only when they name it). */
  async release(ticket: Ticket): Promise<void> {
    await this.releaseKey(`open-ticket:${ticket.userId}`, ticket.id);
    if (ticket.moderatorId)
      await this.releaseKey(`moderator-ticket:${ticket.moderatorId}`, ticket.id);
    await this.unlistWaiting(ticket.id);
  }

  /** Frees a moderator's claim when it names this ticket. */
  releaseModerator(userId: string, id: string): Promise<void> {
    return this.releaseKey(`moderator-ticket:${userId}`, id);
  }

  private async releaseKey(key: string, id: string): Promise<void> {
    if ((await this.kv.get(deskNamespace, key)) === id) await this.kv.delete(deskNamespace, key);
  }

  /** Puts a ticket in the index of waiting tickets. */
  listWaiting(entry: WaitingEntry): Promise<void> {
    return this.kv.set(deskNamespace, `ticket-waiting:${padded(entry.id)}`, entry);
  }

  /** Takes a ticket out of the index of waiting tickets. */
  async unlistWaiting(id: string): Promise<void> {
    await this.kv.delete(deskNamespace, `ticket-waiting:${padded(id)}`);
  }

  /** The waiting tickets, oldest first. */
  async waiting(): Promise<WaitingEntry[]> {
    const entries = await this.kv.list<WaitingEntry>(deskNamespace, {
      prefix: 'ticket-waiting:',
      limit: 100_000,
    });
    return entries.map((entry) => entry.value);
  }

  /** Claims the one timeout reply of a ticket; false when a process sent it already. */
  claimTimeout(id: string): Promise<boolean> {
    return this.kv.add(deskNamespace, `ticket-timeout:${padded(id)}`, this.now());
  }

  /** Every ticket, oldest first. */
  async all(): Promise<Ticket[]> {
    const entries = await this.kv.list<Ticket>(deskNamespace, {
      prefix: 'ticket:',
      limit: 10_000_000,
    });
    return entries.map((entry) => entry.value);
  }
}
