import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyValueStore } from '../ports/storage';

const namespace = 'runtime';

/** Options for {@link ChatLock}. */
export interface ChatLockOptions {
  /**
   * How long a lease lasts without renewal (it is renewed every third of it while its message
   * runs); a crashed holder's chat waits at most this long. Default 5 s.
   */
  leaseMs?: number;
  /** The longest wait between two tries. Default 50 ms. */
  maxPollMs?: number;
}

/**
 * A per-chat lease in storage, so that the messages of one chat are handled one at a time
 * also when several processes share the storage (two bot processes on one SQLite file, or
 * behind one webhook). Within a process the chat queue keeps arrival order; the lease keeps
 * two processes from running the same chat at once. A lease is renewed while its message
 * runs, and runs out on its own when its process dies.
 */
export class ChatLock {
  private readonly leaseMs: number;
  private readonly maxPollMs: number;

  constructor(
    private readonly kv: KeyValueStore,
    options: ChatLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 5000;
    this.maxPollMs = options.maxPollMs ?? 50;
  }

  /** Runs `task` holding the chat's lease. */
  async run<T>(chatKey: string, task: () => Promise<T>): Promise<T> {
    const key = `chat-lease:${chatKey}`;
    const holder = randomUUID();
    let wait = 2;
    while (!(await this.kv.add(namespace, key, holder, { ttlMs: this.leaseMs }))) {
      await sleep(wait);
      wait = Math.min(wait * 2, this.maxPollMs);
    }
    const renew = setInterval(() => {
      void this.kv.set(namespace, key, holder, { ttlMs: this.leaseMs }).catch(() => {});
    }, this.leaseMs / 3);
    renew.unref();
    try {
      return await task();
    } finally {
      clearInterval(renew);
      // No read first: it would wait for the group commit and add a round. A lease that ran
      // out and was taken by another process while this task overran it is gone either way.
      // Not awaited: the message is done, and storage runs writes in the order they are asked
      // (the next message of the chat asks for the lease after this delete); a release that
      // fails runs out with the lease.
      void this.kv.delete(namespace, key).catch(() => false);
    }
  }
}
