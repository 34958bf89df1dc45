import type { ChatSequencer } from '../ports/chat-sequencer';
import type { KeyValueStore } from '../ports/storage';

const namespace = 'runtime';
/** Sequence numbers as fixed-width keys, so that the store lists them in order. */
const pad = (sequence: number) => String(sequence).padStart(16, '0');
const prefixOf = (chat: string) => `chat-seq:${encodeURIComponent(chat)}:`;
const answeredKey = (chat: string, sequence: number) =>
  `chat-answered:${encodeURIComponent(chat)}:${pad(sequence)}`;

/** Options shared by the sequencer drivers. */
export interface ChatSequencerOptions {
  /** How long an announced update is kept at most, as a last resort against a lost leave. Default 24 h. */
  keepMs?: number;
  /** The longest wait between two looks while an earlier update runs. Default 50 ms. */
  maxPollMs?: number;
  /** How often a waiting update asks whether the one blocking it is stale. Default 1 s. */
  staleCheckMs?: number;
}

/**
 * The updates of each chat that wait for their turn in this process. Only the earliest of a chat
 * looks at the shared state; the others sleep until something of their chat changes here (an
 * update left, or the earliest got its turn), so a chat with many waiting updates costs one look
 * at a time, not one per update.
 */
export class LocalTurns {
  private readonly waiting = new Map<string, Set<number>>();
  private readonly sleepers = new Map<string, Set<() => void>>();

  /** True when `sequence` is the earliest update of `chat` waiting in this process. */
  isFirst(chat: string, sequence: number): boolean {
    let earliest = Number.POSITIVE_INFINITY;
    for (const each of this.waiting.get(chat) ?? []) earliest = Math.min(earliest, each);
    return earliest === sequence;
  }

  add(chat: string, sequence: number): void {
    const set = this.waiting.get(chat) ?? new Set<number>();
    set.add(sequence);
    this.waiting.set(chat, set);
  }

  remove(chat: string, sequence: number): void {
    const set = this.waiting.get(chat);
    set?.delete(sequence);
    if (set?.size === 0) this.waiting.delete(chat);
    this.wake(chat);
  }

  /** Wakes every update of `chat` sleeping in {@link sleep}. */
  wake(chat: string): void {
    const sleepers = this.sleepers.get(chat);
    this.sleepers.delete(chat);
    for (const wake of sleepers ?? []) wake();
  }

  /** Resolves after `ms`, or at once when `chat` is woken; rejects with the signal's reason. */
  sleep(chat: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const sleepers = this.sleepers.get(chat) ?? new Set<() => void>();
      this.sleepers.set(chat, sleepers);
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }
}

/**
 * Waits until `first()` finds no earlier update than `sequence` of `chat`: the earliest waiting
 * update of the chat in this process looks, with a growing pause (woken early by `local`); the
 * others sleep until it is their turn to look. A blocker that stays is asked about with
 * `isStale` every `staleCheckMs` and removed when stale. Shared by the sequencer drivers.
 */
export async function waitForTurn(
  chat: string,
  sequence: number,
  first: () => Promise<number | undefined>,
  remove: (earlier: number) => Promise<void>,
  options: {
    local: LocalTurns;
    signal?: AbortSignal;
    isStale?: (earlier: number) => Promise<boolean>;
    maxPollMs: number;
    staleCheckMs: number;
  },
): Promise<void> {
  const { local, signal } = options;
  let wait = 2;
  let blocker: number | undefined;
  let blockedSince = 0;
  local.add(chat, sequence);
  try {
    for (;;) {
      signal?.throwIfAborted();
      if (!local.isFirst(chat, sequence)) {
        // An earlier update of this chat waits here too: it looks; this one sleeps.
        await local.sleep(chat, 1000, signal);
        continue;
      }
      const earliest = await first();
      if (earliest === undefined || earliest >= sequence) return;
      if (earliest !== blocker) {
        blocker = earliest;
        blockedSince = Date.now();
        wait = 2;
      } else if (options.isStale && Date.now() - blockedSince >= options.staleCheckMs) {
        blockedSince = Date.now();
        if (await options.isStale(earliest)) await remove(earliest);
      }
      await local.sleep(chat, wait, signal);
      wait = Math.min(wait * 2, options.maxPollMs);
    }
  } finally {
    local.remove(chat, sequence);
  }
}

/**
 * The chat sequencer on the bot's storage: one key per announced update, listed in order. It
 * needs nothing but the storage several processes already share (one SQLite file on one host,
 * MongoDB), at the cost of a look at storage every few milliseconds while an earlier update of
 * the same chat runs. With Redis, `redisChatSequencer()` wakes waiters at once instead.
 *
 * @example
 * const sequencer = storageChatSequencer(storage.kv);
 * await sequencer.enter('chat-1', 41);
 * await sequencer.turn('chat-1', 41);
 * await sequencer.leave('chat-1', 41);
 */
export function storageChatSequencer(
  kv: KeyValueStore,
  options: ChatSequencerOptions & {
    /**
     * Commits queued writes now (the storage's `flush`): an answer note is then in storage in the
     * same step as the request it notes, not at the next group commit.
     */
    flush?: () => void;
  } = {},
): ChatSequencer {
  const keepMs = options.keepMs ?? 86_400_000;
  const local = new LocalTurns();
  const remove = async (chat: string, sequence: number) => {
    await kv.delete(namespace, `${prefixOf(chat)}${pad(sequence)}`);
    local.wake(chat);
  };
  return {
    name: 'storage',
    async enter(chat, sequence) {
      await kv.set(namespace, `${prefixOf(chat)}${pad(sequence)}`, 1, { ttlMs: keepMs });
    },
    turn(chat, sequence, turnOptions = {}) {
      return waitForTurn(
        chat,
        sequence,
        async () => {
          const [earliest] = await kv.list(namespace, { prefix: prefixOf(chat), limit: 1 });
          return earliest ? Number(earliest.key.slice(prefixOf(chat).length)) : undefined;
        },
        (earlier) => remove(chat, earlier),
        {
          ...turnOptions,
          local,
          maxPollMs: options.maxPollMs ?? 50,
          staleCheckMs: options.staleCheckMs ?? 1000,
        },
      );
    },
    leave: remove,
    async answered(chat, sequence) {
      const noted = kv.set(namespace, answeredKey(chat, sequence), 1, { ttlMs: keepMs });
      options.flush?.();
      await noted;
    },
    async unanswered(chat, sequence) {
      await kv.delete(namespace, answeredKey(chat, sequence));
    },
    async wasAnswered(chat, sequence) {
      return (await kv.get(namespace, answeredKey(chat, sequence))) !== undefined;
    },
    async close() {},
  };
}
