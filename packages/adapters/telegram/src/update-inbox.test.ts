import {
  type ChatSequencer,
  memoryStorage,
  type ScopedKeyValueStore,
  silentLogger,
  storageChatSequencer,
} from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpdateInbox } from './update-inbox';

interface FakeUpdate {
  update_id: number;
  chat: string;
  text: string;
}

const update = (id: number, chat = 'a', text = `m${id}`): FakeUpdate => ({
  update_id: id,
  chat,
  text,
});

describe('UpdateInbox', () => {
  let kv: ScopedKeyValueStore;
  let storage: ReturnType<typeof memoryStorage>;
  const inboxes: Array<UpdateInbox<FakeUpdate>> = [];

  beforeEach(async () => {
    storage = memoryStorage();
    await storage.open();
    kv = scopeKeyValueStore(storage.kv, 'adapter:telegram');
  });

  afterEach(async () => {
    for (const inbox of inboxes.splice(0)) await inbox.close();
    await storage.close();
  });

  const make = (
    process: (update: FakeUpdate) => Promise<void>,
    leaseMs = 60_000,
    sequencer?: ChatSequencer,
  ) => {
    const inbox = new UpdateInbox<FakeUpdate>({
      kv,
      process,
      idOf: (each) => each.update_id,
      queueOf: (each) => each.chat,
      log: silentLogger,
      leaseMs,
      ...(sequencer ? { sequencer } : {}),
    });
    inboxes.push(inbox);
    return inbox;
  };

  it('processes an update once, however often it is delivered', async () => {
    const seen: string[] = [];
    const inbox = make(async (each) => {
      seen.push(each.text);
    });
    await Promise.all([inbox.handle(update(1)), inbox.handle(update(1))]);
    await inbox.handle(update(1));
    expect(await inbox.accept(update(1))).toBe(false);
    expect(seen).toEqual(['m1']);
    // A second process sharing the storage also drops it.
    const other = make(async (each) => {
      seen.push(`other ${each.text}`);
    });
    await other.handle(update(1));
    expect(seen).toEqual(['m1']);
    expect(await kv.list({ prefix: 'inbox:' })).toEqual([]);
  });

  it('keeps each chat in order while chats run concurrently', async () => {
    const log: string[] = [];
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const inbox = make(async (each) => {
      log.push(`start ${each.text}`);
      if (each.text === 'a1') await slow;
      log.push(`end ${each.text}`);
    });
    const a1 = inbox.handle(update(1, 'a', 'a1'));
    const a2 = inbox.handle(update(2, 'a', 'a2'));
    await inbox.handle(update(3, 'b', 'b1'));
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
    releaseSlow();
    await Promise.all([a1, a2]);
    expect(log.slice(3)).toEqual(['end a1', 'start a2', 'end a2']);
  });

  it('replays what a dead process stored but did not finish, and marks it done', async () => {
    // A process on this host that no longer runs stored update 7 and died, its lease not yet
    // run out.
    await kv.set('inbox:0000000000000007', {
      update: update(7),
      attempts: 1,
      owner: { instance: 'dead', pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() },
      leaseUntil: Date.now() + 60_000,
    });
    const seen: string[] = [];
    const inbox = make(async (each) => {
      seen.push(each.text);
    });
    expect(await inbox.recover()).toBe(1);
    await inbox.close();
    expect(seen).toEqual(['m7']);
    expect(await kv.get('done:7')).toBeTypeOf('number');
    expect(await kv.list({ prefix: 'inbox:' })).toEqual([]);
  });

  it('leaves an update alone while a live process on another host holds its lease', async () => {
    const alive = { instance: 'alive', pid: 1, host: 'another-host' };
    await kv.set('inbox:0000000000000008', {
      update: update(8),
      attempts: 1,
      owner: alive,
      leaseUntil: Date.now() + 60_000,
    });
    const seen: string[] = [];
    const inbox = make(async (each) => {
      seen.push(each.text);
    });
    expect(await inbox.recover()).toBe(0);
    // Once the lease runs out (the other process stopped renewing it), the update is taken over.
    await kv.set('inbox:0000000000000008', {
      update: update(8),
      attempts: 1,
      owner: alive,
      leaseUntil: Date.now() - 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await inbox.recover()).toBe(1);
    await inbox.close();
    expect(seen).toEqual(['m8']);
  });

  it('lets one of two processes that recover at once take an abandoned update', async () => {
    await kv.set('inbox:0000000000000011', { update: update(11), attempts: 1 });
    const seen: string[] = [];
    const first = make(async (each) => {
      seen.push(`first ${each.text}`);
    });
    const second = make(async (each) => {
      seen.push(`second ${each.text}`);
    });
    const queued = await Promise.all([first.recover(), second.recover()]);
    expect(queued.sort()).toEqual([0, 1]);
    await Promise.all([first.close(), second.close()]);
    expect(seen).toHaveLength(1);
    expect(await kv.get('done:11')).toBeTypeOf('number');
  });

  it('renews the lease in the entry while a slow update runs', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inbox = make(() => blocked, 300);
    inbox.startTimers();
    const running = inbox.handle(update(12));
    try {
      // Stored with a lease until now + 300 ms; without renewal it would have run out.
      await new Promise((resolve) => setTimeout(resolve, 450));
      const [entry] = await kv.list<{ leaseUntil: number }>({ prefix: 'inbox:' });
      expect(entry?.value.leaseUntil).toBeGreaterThan(Date.now());
    } finally {
      release();
      await running;
    }
  });

  it('drops a stored update that was already done (a redelivery stored before a crash)', async () => {
    await kv.set('done:9', Date.now());
    await kv.set('inbox:0000000000000009', { update: update(9), attempts: 1 });
    const inbox = make(async () => {
      throw new Error('must not run');
    });
    expect(await inbox.recover()).toBe(0);
    expect(await kv.list({ prefix: 'inbox:' })).toEqual([]);
  });

  it('gives up an update that crashed the bot on every attempt', async () => {
    await kv.set('inbox:0000000000000010', { update: update(10), attempts: 3 });
    const inbox = make(async () => {
      throw new Error('must not run');
    });
    expect(await inbox.recover()).toBe(0);
    expect(await kv.get('done:10')).toBeTypeOf('number');
  });

  it('on close, finishes the running update and leaves queued ones for the next start', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const inbox = make(async (each) => {
      seen.push(each.text);
      if (each.update_id === 1) await blocked;
    });
    const first = inbox.handle(update(1));
    const second = inbox.handle(update(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = inbox.close();
    release();
    await Promise.all([first, second, closed]);
    expect(seen).toEqual(['m1']);
    const pending = await kv.list<{ update: FakeUpdate }>({ prefix: 'inbox:' });
    expect(pending.map((entry) => entry.value.update.update_id)).toEqual([2]);
    expect(pending[0]?.value, 'its lease is given back').not.toHaveProperty('owner');
    const next = make(async (each) => {
      seen.push(`next ${each.text}`);
    });
    expect(await next.recover()).toBe(1);
    await next.close();
    expect(seen).toEqual(['m1', 'next m2']);
  });

  describe('with a sequencer (several processes behind one webhook)', () => {
    const sequencer = () => storageChatSequencer(storage.kv, { staleCheckMs: 20 });

    it('runs a chat in update order when its updates land on two processes in turn', async () => {
      const ran: number[] = [];
      const work = async (each: FakeUpdate) => {
        // Later updates are quicker: without the sequencer they would overtake earlier ones.
        await new Promise((resolve) => setTimeout(resolve, (60 - each.update_id) % 7));
        ran.push(each.update_id);
      };
      const one = make(work, 60_000, sequencer());
      const two = make(work, 60_000, sequencer());
      const ids = Array.from({ length: 40 }, (_, index) => index + 1);
      // Each process acknowledges an update before the next is sent, as a webhook does.
      const handled: Array<Promise<void>> = [];
      for (const id of ids) {
        const inbox = id % 2 ? one : two;
        expect(await inbox.accept(update(id, id % 4 < 2 ? 'a' : 'b'))).toBe(true);
        handled.push(inbox.handle(update(id, id % 4 < 2 ? 'a' : 'b')));
      }
      await Promise.all(handled);
      const chatA = ids.filter((id) => id % 4 < 2);
      expect(ran.filter((id) => chatA.includes(id))).toEqual(chatA);
      expect(ran.filter((id) => !chatA.includes(id))).toEqual(ids.filter((id) => id % 4 >= 2));
    });

    it('replays the earlier update of a dead process before the later one waiting for it', async () => {
      const { hostname } = await import('node:os');
      // A dead process on this host accepted update 5 of chat a (stored and announced) and died.
      await kv.set('inbox:0000000000000005', {
        update: update(5),
        attempts: 1,
        owner: { instance: 'dead', pid: 2 ** 22 + 54321, host: hostname() },
        leaseUntil: Date.now() + 60_000,
      });
      const shared = sequencer();
      await shared.enter('a', 5);
      const ran: number[] = [];
      const inbox = make(
        async (each) => {
          ran.push(each.update_id);
        },
        60_000,
        shared,
      );
      const later = inbox.handle(update(6));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(ran).toEqual([]);
      expect(await inbox.recover()).toBe(1);
      await later;
      await inbox.close();
      expect(ran).toEqual([5, 6]);
    });

    it('does not wait for an earlier update that a dead process finished but did not leave', async () => {
      const shared = sequencer();
      await shared.enter('a', 3);
      await kv.set('done:3', Date.now());
      const ran: number[] = [];
      const inbox = make(
        async (each) => {
          ran.push(each.update_id);
        },
        60_000,
        shared,
      );
      await inbox.handle(update(4));
      expect(ran).toEqual([4]);
    });

    it('notes each answer as it goes out: a replay skips an update that sent one, and runs one whose message was refused', async () => {
      const shared = sequencer();
      let release!: () => void;
      const dying = new Promise<void>((resolve) => {
        release = resolve;
      });
      let first!: UpdateInbox<FakeUpdate>;
      const settled: string[] = [];
      // The first process hands out an answer for each update, then hangs as if killed.
      first = make(
        async (each) => {
          const answer = first.answering();
          expect(answer?.wasSent).toBe(false);
          answer?.sent();
          expect(answer?.wasSent).toBe(true);
          answer?.done(each.text !== 'refused');
          settled.push(each.text);
          await dying;
        },
        50,
        shared,
      );
      expect(first.answering()).toBeUndefined();
      void first.handle(update(1, 'a', 'sent'));
      void first.handle(update(2, 'b', 'refused'));
      while (settled.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await shared.wasAnswered('a', 1)).toBe(true);
      expect(await shared.wasAnswered('b', 2)).toBe(false);
      // Its leases ran out: another process replays both.
      const seen: string[] = [];
      const second = make(
        async (each) => {
          seen.push(each.text);
        },
        60_000,
        shared,
      );
      expect(await second.recover()).toBe(2);
      while ((await kv.list({ prefix: 'inbox:' })).length > 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual(['refused']);
      release();
    });
  });
});
