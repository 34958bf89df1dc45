import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '@botwire/core';
import { deskNamespace, type Member } from '../directory';

/** Who a broadcast goes to. */
export type Audience = 'all' | 'registered' | 'ru' | 'en';

/** Every audience, in the order the preview shows them. */
export const audiences: readonly Audience[] = ['all', 'registered', 'ru', 'en'];

/** What happened to the recipients of a broadcast so far. */
export interface BroadcastCounts {
  /** The messenger took the message. */
  sent: number;
  /** Two tries failed. */
  failed: number;
  /** The messenger said the recipient blocked the bot. */
  blocked: number;
  /** Opted out or blocked the bot before their turn came. */
  skipped: number;
  /** A crash came while their message was on its way: it may or may not have arrived. */
  uncertain: number;
}

/** A broadcast: its text, audience, state and counts. */
export interface BroadcastRecord {
  /** Sorts by creation time: `b` + base-36 ms + random. */
  id: string;
  /** `draft` until Send, `sending` until every recipient is done (also across restarts). */
  state: 'draft' | 'sending' | 'done' | 'cancelled';
  createdAt: number;
  /** The Botwire user id of the moderator or admin who wrote it. */
  authorId: string;
  /** What recipients get, as the author wrote it (plus the opt-out footer). */
  text: string;
  /** Chosen at the preview; set from the confirm step on. */
  audience?: Audience;
  /** Recipients the broadcast tries to reach (those reachable when Send was pressed). */
  total?: number;
  counts: BroadcastCounts;
  /** Members of the audience left out at Send because they had opted out or blocked the bot. */
  skippedBefore?: number;
  /** The preview message, edited into the confirm step. */
  previewMessageId?: string;
  /** The author's progress message, edited as the sending goes on. */
  progressMessageId?: string;
  startedAt?: number;
  finishedAt?: number;
  /** When the report went to the author. */
  reportedAt?: number;
}

/**
 * Where one recipient is: `pending` → `sending` (written before the send) → `sent`, `blocked`,
 * `failed`; `retry` after a first failure; `skipped` when they opted out or blocked the bot
 * before their turn; `uncertain` when a crash left them in `sending`.
 */
export type RecipientState =
  | 'pending'
  | 'sending'
  | 'retry'
  | 'sent'
  | 'failed'
  | 'blocked'
  | 'skipped'
  | 'uncertain';

/** One recipient of a broadcast, stored under a key that keeps the snapshot's order. */
export interface RecipientRecord {
  userId: string;
  state: RecipientState;
  /** When the state last changed. */
  at?: number;
  /** The last error's message (not shown to anyone but the logs). */
  error?: string;
}

/** An empty {@link BroadcastCounts}. */
export function noCounts(): BroadcastCounts {
  return { sent: 0, failed: 0, blocked: 0, skipped: 0, uncertain: 0 };
}

/** True when a member may get broadcasts at all (not opted out, not blocked). */
export function reachable(member: Member): boolean {
  return !member.optedOut && member.blockedAt === undefined;
}

/** True when a member belongs to an audience (whether or not they are reachable). */
export function inAudience(member: Member, audience: Audience): boolean {
  if (audience === 'registered') return member.registeredAt !== undefined;
  if (audience === 'ru' || audience === 'en') return member.locale === audience;
  return true;
}

const recordPrefix = 'bcast:';
const recipientPrefix = (id: string) => `bcast-r:${id}:`;
/** Drafts nobody sends are forgotten after a day. */
const draftTtlMs = 86_400_000;
const all = 10_000_000;

/**
 * The broadcasts in the desk's namespace: records under `bcast:<id>`, recipients under
 * `bcast-r:<id>:<position>` (zero-padded, so a resumed broadcast goes on in the same order).
 */
export class BroadcastStore {
  constructor(
    readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new draft by `authorId`. */
  async create(authorId: string, text: string): Promise<BroadcastRecord> {
    const createdAt = this.now();
    const id = `b${createdAt.toString(36).padStart(9, '0')}${randomBytes(3).toString('hex')}`;
    const record: BroadcastRecord = {
      id,
      state: 'draft',
      createdAt,
      authorId,
      text,
      counts: noCounts(),
    };
    await this.save(record);
    return record;
  }

  get(id: string): Promise<BroadcastRecord | undefined> {
    return this.kv.get<BroadcastRecord>(deskNamespace, recordPrefix + id);
  }

  /** Saves a record; a draft expires after a day unless it is sent. */
  async save(record: BroadcastRecord): Promise<BroadcastRecord> {
    await this.kv.set(
      deskNamespace,
      recordPrefix + record.id,
      record,
      record.state === 'draft' ? { ttlMs: draftTtlMs } : {},
    );
    return record;
  }

  /** Every broadcast, oldest first. */
  async list(): Promise<BroadcastRecord[]> {
    const entries = await this.kv.list<BroadcastRecord>(deskNamespace, {
      prefix: recordPrefix,
      limit: all,
    });
    return entries.map((entry) => entry.value);
  }

  /**
   * Stores the recipient list of a broadcast, one record per member, all `pending` (replacing a
   * list an interrupted snapshot left). Writes in batches, so a group-committing store is quick.
   */
  async snapshot(id: string, userIds: readonly string[]): Promise<void> {
    const prefix = recipientPrefix(id);
    const old = await this.kv.list(deskNamespace, { prefix, limit: all });
    await Promise.all(old.map((entry) => this.kv.delete(deskNamespace, entry.key)));
    const width = Math.max(6, String(userIds.length).length);
    for (let start = 0; start < userIds.length; start += 250) {
      await Promise.all(
        userIds.slice(start, start + 250).map((userId, offset) =>
          this.kv.set(deskNamespace, prefix + String(start + offset).padStart(width, '0'), {
            userId,
            state: 'pending',
          } satisfies RecipientRecord),
        ),
      );
    }
  }

  /** The recipients of a broadcast in the snapshot's order, with their keys. */
  recipients(id: string): Promise<Array<{ key: string; value: RecipientRecord }>> {
    return this.kv.list<RecipientRecord>(deskNamespace, {
      prefix: recipientPrefix(id),
      limit: all,
    });
  }

  /** Moves one recipient (by the key {@link recipients} gave) to a new state. */
  setRecipient(key: string, recipient: RecipientRecord): Promise<void> {
    return this.kv.set(deskNamespace, key, { ...recipient, at: this.now() });
  }

  /** Counts of a broadcast from its recipients' states (the truth after a restart). */
  async tally(id: string, skippedBefore = 0): Promise<BroadcastCounts> {
    const counts = noCounts();
    counts.skipped = skippedBefore;
    for (const { value } of await this.recipients(id)) {
      if (value.state in counts) counts[value.state as keyof BroadcastCounts] += 1;
    }
    return counts;
  }

  /** The compose state of a staff member who ran /broadcast without a text. */
  composing(userId: string): Promise<{ since: number } | undefined> {
    return this.kv.get(deskNamespace, `bcast-compose:${userId}`);
  }

  /** Starts or ends ({@link ttlMs} 0) composing. */
  async setComposing(userId: string, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) await this.kv.delete(deskNamespace, `bcast-compose:${userId}`);
    else
      await this.kv.set(deskNamespace, `bcast-compose:${userId}`, { since: this.now() }, { ttlMs });
  }

  /** Claims the right to start sending a draft, once (a second press of Send gets false). */
  claimStart(id: string): Promise<boolean> {
    return this.kv.add(deskNamespace, `bcast-start:${id}`, this.now(), { ttlMs: 60_000 });
  }
}
