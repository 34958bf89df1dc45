import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSequencer } from '../ports/chat-sequencer';

/**
 * What a test run of the sequencer contract needs: two sequencers on the same shared state,
 * as two processes of one bot would have, and how to release them.
 */
export interface ChatSequencerTarget {
  first: ChatSequencer;
  second: ChatSequencer;
  close?(): Promise<void>;
}

/**
 * True when the promise settles within `ms` (at once when it does), false once `ms` passed.
 * A turn that must wait is looked at for a short while; one that must not gets a generous
 * budget: a turn wrongly held behind another chat, or behind an announcement counted twice,
 * never settles, so the budget only spares a busy machine a false failure.
 */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a turn that must wait is watched; how long one that must not may take. */
const waitsMs = 150;
const runsMs = 5_000;

/**
 * The contract every chat sequencer passes (storage, Redis): an update's turn comes once every
 * earlier announced update of its chat has left, whichever process announced it; chats do not
 * wait for each other; `enter` is idempotent; a stale earlier update (done by a process that
 * died before leaving) is removed when `isStale` says so; an aborted wait rejects; and 200
 * updates of one chat entered by two processes in turn run strictly in order.
 *
 * @example
 * runChatSequencerContract('storage', async () => {
 *   const storage = memoryStorage();
 *   return { first: storageChatSequencer(storage.kv), second: storageChatSequencer(storage.kv) };
 * });
 */
export function runChatSequencerContract(
  name: string,
  create: () => Promise<ChatSequencerTarget>,
): void {
  describe(`chat sequencer contract: ${name}`, () => {
    let target: ChatSequencerTarget | undefined;
    const start = async () => {
      target = await create();
      return target;
    };
    afterEach(async () => {
      await target?.first.close();
      await target?.second.close();
      await target?.close?.();
      target = undefined;
    });

    it('gives an update its turn once every earlier one of its chat left, in any process', async () => {
      const { first, second } = await start();
      await first.enter('chat-a', 10);
      await second.enter('chat-a', 11);
      await first.enter('chat-a', 12);
      expect(await settlesWithin(first.turn('chat-a', 10), runsMs)).toBe(true);
      const eleven = second.turn('chat-a', 11);
      const twelve = first.turn('chat-a', 12);
      expect(await settlesWithin(eleven, waitsMs)).toBe(false);
      await first.leave('chat-a', 10);
      await eleven;
      expect(await settlesWithin(twelve, waitsMs)).toBe(false);
      await second.leave('chat-a', 11);
      await twelve;
      await first.leave('chat-a', 12);
    });

    it('lets chats run independently, and an update nothing precedes at once', async () => {
      const { first, second } = await start();
      await first.enter('chat-b', 5);
      await second.enter('chat-c', 6);
      expect(await settlesWithin(second.turn('chat-c', 6), runsMs)).toBe(true);
      expect(await settlesWithin(first.turn('chat-d', 99), runsMs)).toBe(true);
      await first.leave('chat-b', 5);
      await second.leave('chat-c', 6);
    });

    it('takes an announcement twice as once, and a leave of an unknown update as nothing', async () => {
      const { first, second } = await start();
      await first.enter('chat-e', 1);
      await second.enter('chat-e', 1);
      await first.leave('chat-e', 1);
      await second.leave('chat-e', 7);
      expect(await settlesWithin(first.turn('chat-e', 2), runsMs)).toBe(true);
    });

    it('removes an earlier update that is stale, and rejects an aborted wait', async () => {
      const { first, second } = await start();
      await first.enter('chat-f', 1);
      const asked: number[] = [];
      await second.turn('chat-f', 2, {
        isStale: async (earlier) => {
          asked.push(earlier);
          return true;
        },
      });
      expect(asked).toEqual([1]);
      await first.enter('chat-g', 1);
      const stop = new AbortController();
      const waiting = second.turn('chat-g', 2, { signal: stop.signal });
      stop.abort(new Error('stopping'));
      await expect(waiting).rejects.toThrow('stopping');
      await first.leave('chat-g', 1);
    });

    it('remembers which updates sent an answer, for a replay after a crash', async () => {
      const { first, second } = await start();
      expect(await second.wasAnswered('chat-i', 4)).toBe(false);
      await first.answered('chat-i', 4);
      await first.answered('chat-i', 6);
      expect(await second.wasAnswered('chat-i', 4)).toBe(true);
      expect(await second.wasAnswered('chat-i', 5)).toBe(false);
      expect(await second.wasAnswered('chat-j', 4)).toBe(false);
      // The messenger refused the message: the note is taken back.
      await second.unanswered('chat-i', 6);
      expect(await first.wasAnswered('chat-i', 6)).toBe(false);
      expect(await first.wasAnswered('chat-i', 4)).toBe(true);
      // A note is not an announced update: it holds no later update back.
      await first.turn('chat-i', 7);
    });

    it('runs 200 updates of one chat, announced by two processes in turn, strictly in order', async () => {
      const { first, second } = await start();
      const ran: number[] = [];
      const updates = Array.from({ length: 200 }, (_, index) => index + 1);
      for (const id of updates) await (id % 2 ? first : second).enter('chat-h', id);
      // Every update waits at once, as each would in its own process.
      await Promise.all(
        updates.map(async (id) => {
          const sequencer = id % 2 ? first : second;
          await sequencer.turn('chat-h', id);
          ran.push(id);
          await new Promise((resolve) => setImmediate(resolve));
          await sequencer.leave('chat-h', id);
        }),
      );
      expect(ran).toEqual(updates);
    });
  });
}
