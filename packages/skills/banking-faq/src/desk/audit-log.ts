import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@botwire/core';
import { deskNamespace } from './directory';

/** One action of a moderator or an admin. */
export interface AuditEntry {
  /** When it happened, in ms since the epoch. */
  at: number;
  /** The Botwire user id of who did it. */
  actor: string;
  /** Their role at the time. */
  role: string;
  /** What they did: `ticket.take`, `ticket.end`, `broadcast.send`, `role.grant`, ... */
  action: string;
  /** What it was done to: a user id, a ticket id, a broadcast id. */
  target?: string;
  /** Details that are not personal data (an audience, a count). Never a phone number or a message text. */
  details?: Record<string, string | number | boolean>;
}

/**
 * The audit log: every action of a moderator or an admin, in storage, newest last. Entries are
 * never changed or deleted by the bot.
 */
export class AuditLog {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends an entry, stamped with the current time. */
  async record(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const at = this.now();
    const stored: AuditEntry = { at, ...entry };
    // Keys sort by time: a zero-padded timestamp, then a random part for entries of one millisecond.
    const key = `audit:${String(at).padStart(15, '0')}:${randomUUID().slice(0, 8)}`;
    await this.kv.set(deskNamespace, key, stored);
    return stored;
  }

  /** The newest entries, newest first. */
  async recent(limit = 20): Promise<AuditEntry[]> {
    const entries = await this.kv.list<AuditEntry>(deskNamespace, {
      prefix: 'audit:',
      limit: 10_000_000,
    });
    return entries
      .slice(-limit)
      .map((entry) => entry.value)
      .reverse();
  }
}
