import { isBotwireError, type OutgoingMessage } from '@botwire/core';
import type { Desk } from '../desk';
import { text } from '../desk-text';
import type { Member } from '../directory';
import { BroadcastLease } from './broadcast-lease';
import {
  type BroadcastCounts,
  type BroadcastRecord,
  type BroadcastStore,
  type RecipientRecord,
  reachable,
} from './broadcast-store';
import { broadcastStrings } from './broadcast-strings';
import type { Pacer } from './pacer';

/** How often the author's progress message is edited at most. */
export const progressEveryMs = 2500;

/** How a run of {@link BroadcastRunner} ended. */
export type RunOutcome = 'done' | 'stopped' | 'busy' | 'gone';

/** What a runner needs besides the broadcast's id. */
export interface RunnerDeps {
  desk: Desk;
  store: BroadcastStore;
  /** Shared by every broadcast of the desk: recipients' messages and progress edits alike. */
  pacer: Pacer;
  /** Aborted when the bot stops: the send in flight finishes, no new one starts. */
  signal: AbortSignal;
}

type Entry = { key: string; value: RecipientRecord };

/** The message a member gets: the author's text as written, and the opt-out footer in their language. */
export function recipientMessage(desk: Desk, body: string, member?: Member): OutgoingMessage {
  const footer = text(broadcastStrings, desk.localeOf(member), 'footer');
  return { text: `${body}\n\n— ${footer}`, format: 'plain' };
}

/**
 * Sends one broadcast under its lease: every recipient still `pending` (then those to `retry`),
 * paced evenly, each state written before and after the send; edits the author's progress
 * message now and then; at the end tallies the states and sends the author the report.
 *
 * Crash policy: a recipient found in `sending` when a broadcast resumes was being sent when the
 * previous process died. The message may have arrived (the kill came between the messenger's
 * answer and the `sent` mark) or not (between the `sending` mark and the request). It is NOT
 * sent again. When the chat's history (which the bot writes right after the messenger took a
 * message) has it, it is `sent`; otherwise it is marked `uncertain` and counted so in the
 * report. At most one recipient per crash is affected, and the window is kept small: `sending`
 * is written right before the send and `sent` right after it resolves. A duplicate in a customer's chat is the worse outcome for a
 * bank (a second "rates change" notice looks like a second change).
 */
export class BroadcastRunner {
  private counts: BroadcastCounts | undefined;
  private shownDone = -1;
  private shownAt = 0;

  constructor(
    private readonly deps: RunnerDeps,
    readonly broadcastId: string,
  ) {}

  private get stopping() {
    return this.deps.signal.aborted;
  }

  /** Sends what is left of the broadcast (or only its report); `busy` when another process holds it. */
  async run(): Promise<RunOutcome> {
    const { desk, store } = this.deps;
    const lease = new BroadcastLease(desk.kv, this.broadcastId, desk.now);
    if (!(await lease.acquire())) return 'busy';
    try {
      const record = await store.get(this.broadcastId);
      if (!record) return 'gone';
      if (record.state === 'sending') {
        const outcome = await this.sendAll(record, lease);
        if (outcome !== 'done') return outcome;
      }
      if (record.state === 'done' && record.reportedAt === undefined) await this.report(record);
      return record.state === 'done' ? 'done' : 'gone';
    } finally {
      await lease.release();
    }
  }

  private async sendAll(record: BroadcastRecord, lease: BroadcastLease): Promise<RunOutcome> {
    const { store, desk } = this.deps;
    const entries = await store.recipients(record.id);
    for (const entry of entries) {
      // See the crash policy above: not sent again; sent when the chat's history shows it.
      if (entry.value.state === 'sending') {
        const state = (await this.inHistory(record, entry.value)) ? 'sent' : 'uncertain';
        entry.value = { userId: entry.value.userId, state };
        await store.setRecipient(entry.key, entry.value);
      }
    }
    this.counts = await store.tally(record.id, record.skippedBefore ?? 0);
    const author = await desk.directory.get(record.authorId);
    if (record.progressMessageId === undefined && author) {
      await this.deps.pacer.next();
      const sent = await desk
        .send(author, this.progressMessage(record, author))
        .catch(() => undefined);
      record.progressMessageId = sent?.platformMessageIds.at(-1) ?? '';
      await store.save({ ...record, counts: this.counts });
      this.shownDone = this.done(record);
      this.shownAt = desk.now();
    }
    const retries = entries.filter((entry) => entry.value.state === 'retry');
    const pending = entries.filter((entry) => entry.value.state === 'pending');
    for (const [queue, lastTry] of [
      [pending, false],
      [retries, true],
    ] as const) {
      for (const entry of queue) {
        if (this.stopping || !lease.held || !(await lease.keep())) {
          await this.saveCounts(record);
          return 'stopped';
        }
        const outcome = await this.sendOne(record, entry, lastTry);
        if (outcome === 'stopped') {
          await this.saveCounts(record);
          return 'stopped';
        }
        if (outcome === 'retry') retries.push(entry);
        await this.maybeShowProgress(record, author);
      }
    }
    record.counts = await store.tally(record.id, record.skippedBefore ?? 0);
    this.counts = record.counts;
    record.state = 'done';
    record.finishedAt = desk.now();
    await store.save(record);
    await this.maybeShowProgress(record, author, true);
    return 'done';
  }

  /** True when the member's chat history has the broadcast's message since it was marked `sending`. */
  private async inHistory(record: BroadcastRecord, recipient: RecipientRecord): Promise<boolean> {
    const { desk } = this.deps;
    const member = await desk.directory.get(recipient.userId);
    if (!member) return false;
    const expected = recipientMessage(desk, record.text, member).text;
    const since = (recipient.at ?? record.startedAt ?? 0) - 1000;
    const recent = await desk.services.storage.messages.list(member.chatId, { limit: 5 });
    return recent.some(
      (message) =>
        message.direction === 'out' && message.text === expected && message.at.getTime() >= since,
    );
  }

  /** One recipient: skipped, or `sending` → send → `sent` / `blocked` / `retry` / `failed`. */
  private async sendOne(
    record: BroadcastRecord,
    entry: Entry,
    lastTry: boolean,
  ): Promise<'sent' | 'skipped' | 'blocked' | 'retry' | 'failed' | 'stopped'> {
    const { desk, store, pacer } = this.deps;
    const counts = this.counts!;
    const member = await desk.directory.get(entry.value.userId);
    if (!member || !reachable(member)) {
      entry.value = { ...entry.value, state: 'skipped' };
      await store.setRecipient(entry.key, entry.value);
      counts.skipped += 1;
      return 'skipped';
    }
    await pacer.next();
    if (this.stopping) return 'stopped';
    await store.setRecipient(entry.key, { ...entry.value, state: 'sending' });
    try {
      await desk.send(member, recipientMessage(desk, record.text, member));
    } catch (error) {
      const blocked = isBotwireError(error) && error.code === 'BOTWIRE_ADAPTER_RECIPIENT_BLOCKED';
      const state = blocked ? 'blocked' : lastTry ? 'failed' : 'retry';
      entry.value = {
        userId: entry.value.userId,
        state,
        error: error instanceof Error ? error.message.slice(0, 200) : String(error),
      };
      await store.setRecipient(entry.key, entry.value);
      if (state !== 'retry') counts[state] += 1;
      desk.services.log.warn('broadcast-send-failed', {
        broadcast: record.id,
        user: entry.value.userId,
        state,
        error,
      });
      return state;
    }
    entry.value = { userId: entry.value.userId, state: 'sent' };
    await store.setRecipient(entry.key, entry.value);
    counts.sent += 1;
    return 'sent';
  }

  /** Recipients whose turn came (not those skipped before the start, not those to retry). */
  private done(record: BroadcastRecord): number {
    const counts = this.counts ?? record.counts;
    return (
      counts.sent +
      counts.failed +
      counts.blocked +
      counts.uncertain +
      counts.skipped -
      (record.skippedBefore ?? 0)
    );
  }

  private progressMessage(record: BroadcastRecord, author: Member): OutgoingMessage {
    return {
      text: text(broadcastStrings, this.deps.desk.localeOf(author), 'progress', {
        done: this.done(record),
        total: record.total ?? 0,
      }),
    };
  }

  private async saveCounts(record: BroadcastRecord): Promise<void> {
    if (this.counts) await this.deps.store.save({ ...record, counts: this.counts });
  }

  /** Edits the progress message when the count moved and {@link progressEveryMs} passed (or at the end). */
  private async maybeShowProgress(record: BroadcastRecord, author?: Member, last = false) {
    const { desk, pacer } = this.deps;
    const done = this.done(record);
    if (!author || !record.progressMessageId || done === this.shownDone) return;
    if (!last && desk.now() - this.shownAt < progressEveryMs) return;
    this.shownDone = done;
    this.shownAt = desk.now();
    if (!last) await this.saveCounts(record);
    await pacer.next();
    try {
      await desk.edit(author, record.progressMessageId, this.progressMessage(record, author));
    } catch (error) {
      desk.services.log.warn('broadcast-progress-failed', { broadcast: record.id, error });
    }
  }

  /** Sends the author the report, once the broadcast is done. */
  private async report(record: BroadcastRecord): Promise<void> {
    const { desk, store, pacer } = this.deps;
    const author = await desk.directory.get(record.authorId);
    if (author && !author.blockedAt) {
      const locale = desk.localeOf(author);
      const { counts } = record;
      const lines = [
        text(broadcastStrings, locale, 'report', { total: record.total ?? 0, ...counts }),
      ];
      if (counts.uncertain > 0)
        lines.push(text(broadcastStrings, locale, 'report.uncertain', { ...counts }));
      await pacer.next();
      try {
        await desk.send(author, { text: lines.join('\n') });
      } catch (error) {
        desk.services.log.warn('broadcast-report-failed', { broadcast: record.id, error });
      }
    }
    record.reportedAt = desk.now();
    await store.save(record);
  }
}
