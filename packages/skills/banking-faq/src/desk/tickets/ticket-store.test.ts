import { memoryStorage } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { ticketStats } from './ticket-stats';
import { type Ticket, TicketStore } from './ticket-store';

/**
 * The ticket store: short numbers, changes under a lock that lose nothing when they race,
 * one claim per customer (a claim left on a closed ticket is taken over), newest-first order
 * by number; and the stats the admin panel shows.
 */
async function openStore() {
  const storage = memoryStorage();
  await storage.open();
  return new TicketStore(storage.kv);
}

const ticket = (id: string, patch: Partial<Ticket> = {}): Ticket => ({
  id,
  userId: `usr_${id}`,
  state: 'waiting',
  openedAt: 1_000,
  origin: 'command',
  customerName: 'Ann',
  ...patch,
});

describe('TicketStore', () => {
  it('numbers tickets 1, 2, 3 and keeps every change of racing updates', async () => {
    const store = await openStore();
    expect([await store.nextId(), await store.nextId(), await store.nextId()]).toEqual([
      '1',
      '2',
      '3',
    ]);
    await store.put(ticket('1'));
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store.mutate('1', (current) => ({
          ...current,
          followUps: [...(current.followUps ?? []), String(index)],
        })),
      ),
    );
    expect((await store.get('1'))?.followUps).toHaveLength(10);
  });

  it('gives a customer one claim, and takes over a claim left on a closed ticket', async () => {
    const store = await openStore();
    await store.put(ticket('1', { userId: 'ann' }));
    expect(await store.claimOpen('ann', '1')).toBe(true);
    await store.put(ticket('2', { userId: 'ann' }));
    expect(await store.claimOpen('ann', '2')).toBe(false);
    await store.put(ticket('1', { userId: 'ann', state: 'closed' }));
    expect(await store.claimOpen('ann', '2')).toBe(true);
    expect(await store.openOf('ann')).toBe('2');
  });

  it('orders tickets by number, not by text, and claims a timeout reply once', async () => {
    const store = await openStore();
    for (const id of ['9', '10', '2']) await store.put(ticket(id));
    expect((await store.all()).map((each) => each.id)).toEqual(['2', '9', '10']);
    expect(await store.claimTimeout('9')).toBe(true);
    expect(await store.claimTimeout('9')).toBe(false);
  });
});

describe('ticketStats', () => {
  it('counts states, outcomes and timeouts, and the mean and median wait of taken tickets', () => {
    const stats = ticketStats([
      ticket('1', { state: 'closed', takenAt: 2_000, outcome: 'closed-by-user' }),
      ticket('2', { state: 'taken', takenAt: 5_000, timeoutRepliedAt: 4_000 }),
      ticket('3', { state: 'closed', takenAt: 11_000, outcome: 'closed-by-moderator' }),
      ticket('4', { state: 'closed', outcome: 'cancelled-by-user' }),
      ticket('5', { timeoutRepliedAt: 3_000 }),
    ]);
    expect(stats).toEqual({
      total: 5,
      waiting: 1,
      taken: 1,
      closed: 3,
      outcomes: { 'closed-by-user': 1, 'closed-by-moderator': 1, 'cancelled-by-user': 1 },
      timedOut: 2,
      averageWaitMs: 5_000,
      medianWaitMs: 4_000,
    });
    const none = ticketStats([]);
    expect(none.total).toBe(0);
    expect(none).not.toHaveProperty('averageWaitMs');
  });
});
