import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { ChatSequencer, Logger, ScopedKeyValueStore } from '@botwire/core';

/** Options for {@link UpdateInbox}. */
export interface UpdateInboxOptions<U> {
  /** Durable storage shared by every process of the bot (the adapter's namespace). */
  kv: ScopedKeyValueStore;
  /** Handles one update; resolves once its replies were sent. */
  process: (update: U) => Promise<void>;
  /** The update's unique, increasing id (Telegram's `update_id`). */
  idOf: (update: U) => number;
  /** Updates with the same queue key run one after another, in order (a chat's id). */
  queueOf: (update: U) => string;
  log: Logger;
  /** How long a process may hold an update before another may take it over. Default 60 s. */
  leaseMs?: number;
  /** How long a processed update id is remembered to drop redeliveries. Default 72 h. */
  rememberMs?: number;
  /** Replays of one update before it is given up (a message that crashes the bot). Default 3. */
  maxAttempts?: number;
  /**
   * What of an update is written to storage, for a replay after a crash: personal data that
   * must not be on disk in plain text (a shared phone number) can be left out here. The update
   * is processed as received; only a replay sees what this returns. Default: the whole update.
   */
  forStorage?: (update: U) => U;
  /**
   * Keeps each queue's updates in id order across processes (several processes behind one
   * webhook): an update is announced before it is acknowledged and runs once every earlier one
   * of its queue is done, whichever process took it. Without it, order holds within a process.
   */
  sequencer?: ChatSequencer;
}

/**
 * An update in the inbox, with the lease of the process that runs it: the owner renews
 * `leaseUntil` while the update runs, and another process may take the update over once the
 * lease has run out or (on the same host) its owner is gone. An entry without an owner (stored
 * by an older version, or left by a process that stopped) is free to take.
 */
interface InboxEntry<U> {
  update: U;
  attempts: number;
  owner?: Lease;
  leaseUntil?: number;
}

/** One message of an update on its way to the messenger: see {@link UpdateInbox.answering}. */
export interface Answer {
  /** The request has been handed to the operating system: notes the answer. */
  sent(): void;
  /** The messenger replied: `true` when it took the message, `false` when it refused it. */
  done(taken: boolean): void;
  /** True once {@link sent} (or `done(true)`) noted the answer. */
  readonly wasSent: boolean;
}

/** What {@link UpdateInbox.answering} knows of the update being handled. */
interface Answering {
  queue: string;
  id: number;
  /** Messages handed to the messenger that have no reply yet. */
  inFlight: number;
  /** True once the messenger took a message of the update. */
  taken: boolean;
}

interface Lease {
  instance: string;
  pid: number;
  host: string;
}

const pad = (id: number) => String(id).padStart(16, '0');

/**
 * Makes each update run exactly once across restarts and processes: an update is written to an
 * inbox in storage (atomically, keyed by its id, with this process's lease in the entry) before
 * the platform is told it arrived, runs in its chat's queue while the lease is renewed, and is
 * marked done right after its replies were sent. Storage sees two writes for an update that
 * runs at once: the entry (with a check for an earlier `done:` mark), and the done mark with the
 * entry's removal.
 * Pending entries of a process that died are replayed by the next one (at once on the same host,
 * when the old process is gone; elsewhere when its lease expires).
 *
 * With a sequencer, each message an update sends is noted the moment its request has been
 * written to the socket (see {@link answering}), and a replay skips an update that had sent
 * something: a process killed while Telegram took a message does not repeat it. What remains is
 * the instant between the last byte written and the note (the same synchronous step when the
 * adapter can see the write, see SentRequests): a kill exactly there repeats that answer, as the
 * Bot API has no idempotency key a replay could ask with.
 */
export class UpdateInbox<U> {
  private readonly instance: Lease = { instance: randomUUID(), pid: process.pid, host: hostname() };
  private readonly accepted = new Map<number, Promise<boolean>>();
  private readonly running = new Map<number, Promise<void>>();
  /** The entries this process owns, for renewing and releasing their leases. */
  private readonly owned = new Map<number, InboxEntry<U>>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly leaseMs: number;
  private readonly rememberMs: number;
  private readonly maxAttempts: number;
  private timers: NodeJS.Timeout[] = [];
  private closing = false;
  /** Aborts updates waiting for their turn when the inbox closes. */
  private readonly stopping = new AbortController();
  /** The update whose handling this async context belongs to, for {@link answering}. */
  private readonly handling = new AsyncLocalStorage<Answering>();
  private noteFailed = false;

  constructor(private readonly options: UpdateInboxOptions<U>) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.rememberMs = options.rememberMs ?? 72 * 3_600_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    // Every update waiting for its turn listens to it: a busy chat may have hundreds.
    setMaxListeners(0, this.stopping.signal);
  }

  /**
   * Stores an update durably. True when it is new and this process now owns it; false for a
   * redelivery (pending elsewhere or already done). Call it before acknowledging the update.
   */
  accept(update: U): Promise<boolean> {
    const id = this.options.idOf(update);
    let accepted = this.accepted.get(id);
    if (!accepted) {
      accepted = this.store(id, update);
      this.accepted.set(id, accepted);
      accepted.then(
        (fresh) => fresh || this.accepted.delete(id),
        () => this.accepted.delete(id),
      );
    }
    return accepted;
  }

  /** Accepts an update (if it was not yet) and processes it; resolves when it is done. */
  async handle(update: U): Promise<void> {
    if (await this.accept(update)) await this.enqueue(update);
  }

  /** Replays pending updates whose owner is gone. Returns how many it queued. */
  async recover(): Promise<number> {
    const { kv, idOf } = this.options;
    const entries = await kv.list<InboxEntry<U>>({ prefix: 'inbox:' });
    let queued = 0;
    for (const { key, value } of entries) {
      const id = idOf(value.update);
      if (this.running.has(id) || this.closing) continue;
      if (await kv.get(`done:${id}`)) {
        await kv.delete(key);
        continue;
      }
      if (!this.isFree(value)) continue;
      // Of several processes recovering at once, the one that adds the claim for this attempt
      // takes the update; the claim runs out with the lease.
      if (!(await kv.add(`claim:${id}:${value.attempts}`, this.instance, { ttlMs: this.leaseMs })))
        continue;
      if (value.attempts >= this.maxAttempts) {
        this.options.log.error('telegram-update-given-up', {
          updateId: id,
          attempts: value.attempts,
        });
        await this.finish(id, value.update);
        continue;
      }
      const entry = this.leased({ update: value.update, attempts: value.attempts + 1 });
      await kv.set(key, entry);
      // Announced again: a process that died between storing and announcing it left no mark.
      await this.options.sequencer?.enter(this.options.queueOf(value.update), id);
      this.owned.set(id, entry);
      this.options.log.warn('telegram-update-replayed', { updateId: id });
      void this.enqueue(value.update);
      queued += 1;
    }
    return queued;
  }

  /** Renews the leases of running updates and replays abandoned ones, until {@link close}. */
  startTimers(): void {
    const renew = setInterval(() => void this.renew(), Math.max(50, this.leaseMs / 3));
    const sweep = setInterval(
      () =>
        void this.recover().catch((error: unknown) =>
          this.options.log.warn('telegram-inbox-sweep-failed', { error }),
        ),
      this.leaseMs,
    );
    renew.unref();
    sweep.unref();
    this.timers.push(renew, sweep);
  }

  /** How many updates are queued or running. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Stops taking new work: updates already running finish; queued ones stay in the inbox with
   * their leases released, for the next start (or another process) to replay.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.stopping.abort(new Error('the inbox is closing'));
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    this.accepted.clear();
  }

  /**
   * Stores the entry with this process's lease and checks it was not done already, both asked
   * at once: storage that commits in groups (sqlite) writes them in one transaction. The rare
   * loser (a redelivery) undoes what it stored.
   */
  private async store(id: number, update: U): Promise<boolean> {
    const { kv } = this.options;
    const key = `inbox:${pad(id)}`;
    const entry = this.leased({ update: this.options.forStorage?.(update) ?? update, attempts: 1 });
    const queue = this.options.queueOf(update);
    // Announced first: a process killed after storing the update, but before the platform heard
    // back, leaves it announced, so the later updates of its chat wait for its replay instead of
    // overtaking it (the platform's redelivery to another process finds it stored).
    await this.options.sequencer?.enter(queue, id);
    const asked = await Promise.allSettled([kv.add(key, entry), kv.get(`done:${id}`)]);
    const failed = asked.find((each) => each.status === 'rejected');
    const [fresh, done] = asked.map((each) => each.status === 'fulfilled' && each.value);
    if (failed) {
      // Not accepted: give back what was stored, so that the redelivery is taken as new.
      if (fresh) await kv.delete(key).catch(() => false);
      throw failed.reason;
    }
    if (fresh && !done) {
      this.owned.set(id, entry);
      return true;
    }
    // Already done: drop what this call stored and announced. Stored by another process: its
    // entry stays, to run there or to be replayed by recover() when that process is gone.
    if (fresh && done) await kv.delete(key);
    if (done) await this.options.sequencer?.leave(queue, id);
    return false;
  }

  /** An entry leased to this process for the next `leaseMs`. */
  private leased(entry: { update: U; attempts: number }): InboxEntry<U> {
    return { ...entry, owner: this.instance, leaseUntil: Date.now() + this.leaseMs };
  }

  /** True when no live process holds the entry's lease. */
  private isFree(entry: InboxEntry<U>): boolean {
    if (!entry.owner || entry.leaseUntil === undefined) return true;
    if (entry.owner.instance === this.instance.instance)
      return !this.running.has(this.options.idOf(entry.update));
    return entry.leaseUntil <= Date.now() || this.isAbandoned(entry.owner);
  }

  private enqueue(update: U): Promise<void> {
    const id = this.options.idOf(update);
    const existing = this.running.get(id);
    if (existing) return existing;
    const key = this.options.queueOf(update);
    // With a sequencer, the sequence is the order (a replayed update may arrive after later
    // ones of its chat, and must run before them); without one, the order of arrival.
    const previous = this.options.sequencer
      ? Promise.resolve()
      : (this.queues.get(key) ?? Promise.resolve());
    const current = previous.then(() => this.run(id, update));
    this.running.set(id, current);
    this.queues.set(key, current);
    void current.then(() => {
      this.running.delete(id);
      this.accepted.delete(id);
      if (this.queues.get(key) === current) this.queues.delete(key);
    });
    return current;
  }

  private async run(id: number, update: U): Promise<void> {
    const { kv, log } = this.options;
    if (this.closing || (this.options.sequencer && !(await this.waitForTurn(id, update)))) {
      // Left for the next start, or another process: the lease is given back at once.
      const entry = this.owned.get(id);
      this.owned.delete(id);
      if (entry)
        await kv
          .set(`inbox:${pad(id)}`, { update: entry.update, attempts: entry.attempts })
          .catch(() => undefined);
      return;
    }
    const queue = this.options.queueOf(update);
    const attempts = this.owned.get(id)?.attempts ?? 1;
    if (attempts > 1 && (await this.wasAnswered(queue, id))) {
      // A process that died had already answered it: a replay would answer twice.
      log.warn('telegram-update-answered-before-crash', { updateId: id });
    } else {
      try {
        const answering: Answering = { queue, id, inFlight: 0, taken: false };
        await this.handling.run(answering, () => this.options.process(update));
      } catch (error) {
        log.error('telegram-update-failed', { updateId: id, error });
      }
    }
    await this.finish(id, update).catch((error: unknown) =>
      log.error('telegram-update-not-marked-done', { updateId: id, error }),
    );
  }

  /**
   * Call as a message is about to go to the messenger, from the code that handles an update (the
   * async context {@link process} runs in). Undefined outside an update or without a sequencer.
   * Call `sent()` the moment the request has been handed to the operating system: it notes,
   * without waiting, that the update handed out an answer, so that a replay after a crash does
   * not answer it again. Call `done(taken)` once the messenger replied: `false` when it refused
   * the message (nothing reached the chat: the note is taken back unless another message of the
   * update got through or is on its way); a `true` without `sent()` notes it then.
   */
  answering(): Answer | undefined {
    const current = this.handling.getStore();
    const { sequencer } = this.options;
    if (!current || !sequencer) return undefined;
    current.inFlight += 1;
    let noted: Promise<void> | undefined;
    const sent = () => {
      noted ??= sequencer.answered(current.queue, current.id).then(
        () => {
          this.noteFailed = false;
        },
        (error: unknown) => this.warnNote(current.id, error),
      );
    };
    let settled = false;
    const done = (taken: boolean) => {
      if (settled) return;
      settled = true;
      current.inFlight -= 1;
      if (taken) {
        current.taken = true;
        sent();
      } else if (noted && !current.taken && current.inFlight === 0)
        void noted
          .then(() => sequencer.unanswered(current.queue, current.id))
          .catch((error: unknown) => this.warnNote(current.id, error));
    };
    return {
      sent,
      done,
      get wasSent() {
        return noted !== undefined;
      },
    };
  }

  /** A failed note costs a repeated answer after a crash: said once until notes work again. */
  private warnNote(updateId: number, error: unknown): void {
    if (this.noteFailed) return;
    this.noteFailed = true;
    this.options.log.warn('telegram-answer-note-failed', { updateId, error });
  }

  private async wasAnswered(queue: string, id: number): Promise<boolean> {
    try {
      return (await this.options.sequencer?.wasAnswered(queue, id)) ?? false;
    } catch (error) {
      this.options.log.warn('telegram-sequencer-failed', { updateId: id, error });
      return false;
    }
  }

  /**
   * Waits until every earlier update of the update's queue is done, in any process (with a
   * sequencer). False when the inbox closed meanwhile: the update is left for a replay.
   */
  private async waitForTurn(id: number, update: U): Promise<boolean> {
    const { sequencer, kv } = this.options;
    if (!sequencer) return true;
    if (this.closing) return false;
    try {
      await sequencer.turn(this.options.queueOf(update), id, {
        signal: this.stopping.signal,
        // An earlier update that is done, or no longer in the inbox, was finished by a process
        // that died before it left the sequence.
        isStale: async (earlier) =>
          (await kv.get(`done:${earlier}`)) !== undefined ||
          (await kv.get(`inbox:${pad(earlier)}`)) === undefined,
      });
      return true;
    } catch (error) {
      if (this.stopping.signal.aborted) return false;
      // Better out of order than never: the sequencer's store failed.
      this.options.log.warn('telegram-sequencer-failed', { updateId: id, error });
      return true;
    }
  }

  /**
   * Marks the update done and drops its entry, asked at once (one group commit); then lets the
   * next update of its queue run.
   */
  private async finish(id: number, update: U): Promise<void> {
    const { kv } = this.options;
    this.owned.delete(id);
    await Promise.all([
      kv.set(`done:${id}`, Date.now(), { ttlMs: this.rememberMs }),
      kv.delete(`inbox:${pad(id)}`),
    ]);
    await this.options.sequencer?.leave(this.options.queueOf(update), id);
  }

  /** A lease of a process on this host that no longer runs (or whose pid this process reuses). */
  private isAbandoned(lease: Lease): boolean {
    if (lease.instance === this.instance.instance || lease.host !== this.instance.host)
      return false;
    if (lease.pid === process.pid) return true;
    try {
      process.kill(lease.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  /** Renews the lease in the entry of every update this process runs or has queued. */
  private async renew(): Promise<void> {
    for (const [id, entry] of this.owned) {
      const renewed = this.leased(entry);
      this.owned.set(id, renewed);
      await this.options.kv
        .set(`inbox:${pad(id)}`, renewed)
        .catch((error: unknown) => this.options.log.warn('telegram-lease-renew-failed', { error }));
    }
  }
}
