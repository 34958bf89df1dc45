import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBotwireError } from '../errors/botwire-error';
import type { StorageDriver } from '../ports/storage';
import { memoryStorage } from '../storage/drivers/memory';
import { sqliteStorage } from '../storage/drivers/sqlite';
import { CreditLedger } from './credit-ledger';

const drivers: Array<[string, () => Promise<{ storage: StorageDriver; cleanup(): void }>]> = [
  [
    'memory',
    async () => {
      const storage = memoryStorage();
      await storage.open();
      return { storage, cleanup: () => {} };
    },
  ],
  [
    'sqlite',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'botwire-credits-'));
      const storage = sqliteStorage({ path: join(folder, 'botwire.db') });
      await storage.open();
      return { storage, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
    },
  ],
];

describe.each(drivers)('credit ledger on %s storage', (_name, open) => {
  let storage: StorageDriver;
  let cleanup = () => {};
  afterEach(async () => {
    await storage?.close();
    cleanup();
  });

  const ledger = async () => {
    ({ storage, cleanup } = await open());
    return new CreditLedger(storage.kv);
  };

  it('charges 50 simultaneous generations against a balance for 10 exactly 10 times', async () => {
    const credits = await ledger();
    await credits.grant({ userId: 'u1', amount: 10, operation: 'admin', key: 'grant-1' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        credits.charge({
          userId: 'u1',
          amount: 1,
          operation: 'image.generate',
          key: `gen-${index}`,
        }),
      ),
    );
    expect(results.filter((result) => result.charged)).toHaveLength(10);
    expect(results.filter((result) => !result.charged)).toHaveLength(40);
    expect(await credits.balance('u1')).toBe(0);
    const history = await credits.history('u1', 100);
    expect(history.filter((entry) => entry.kind === 'charge')).toHaveLength(10);
  });

  it('charges a retried request with the same key once, also when the retries race', async () => {
    const credits = await ledger();
    await credits.grant({ userId: 'u1', amount: 10, operation: 'admin', key: 'grant-1' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        credits.charge({ userId: 'u1', amount: 3, operation: 'image.generate', key: 'request-7' }),
      ),
    );
    expect(results.filter((result) => result.charged && !result.repeated)).toHaveLength(1);
    expect(results.every((result) => result.charged)).toBe(true);
    expect(await credits.balance('u1')).toBe(7);
    const again = await credits.charge({
      userId: 'u1',
      amount: 3,
      operation: 'image.generate',
      key: 'request-7',
    });
    expect(again).toEqual({ charged: true, balance: 7, repeated: true });
  });

  it('refunds a failed operation once, and then the same key may be charged anew', async () => {
    const credits = await ledger();
    await credits.grant({ userId: 'u1', amount: 5, operation: 'admin', key: 'grant-1' });
    await credits.charge({ userId: 'u1', amount: 5, operation: 'avatar.train', key: 'train-1' });
    expect(await credits.balance('u1')).toBe(0);
    const refunds = await Promise.all([credits.refund('train-1'), credits.refund('train-1')]);
    expect(refunds.sort()).toEqual([false, true]);
    expect(await credits.balance('u1')).toBe(5);
    expect(await credits.refund('never-charged')).toBe(false);
    const retried = await credits.charge({
      userId: 'u1',
      amount: 5,
      operation: 'avatar.train',
      key: 'train-1',
    });
    expect(retried).toEqual({ charged: true, balance: 0, repeated: false });
    expect((await credits.history('u1')).map((entry) => [entry.kind, entry.amount])).toEqual([
      ['charge', -5],
      ['refund', 5],
      ['charge', -5],
      ['grant', 5],
    ]);
  });

  it('refuses a charge the balance cannot pay, taking nothing', async () => {
    const credits = await ledger();
    await credits.grant({ userId: 'u1', amount: 2, operation: 'admin', key: 'grant-1' });
    const refused = await credits.charge({
      userId: 'u1',
      amount: 3,
      operation: 'image.generate',
      key: 'k',
    });
    expect(refused).toEqual({ charged: false, balance: 2, reason: 'insufficient' });
    expect(await credits.balance('u1')).toBe(2);
    // Topped up: the same key is charged now.
    await credits.grant({ userId: 'u1', amount: 1, operation: 'stars', key: 'payment-1' });
    expect(
      await credits.charge({ userId: 'u1', amount: 3, operation: 'image.generate', key: 'k' }),
    ).toMatchObject({
      charged: true,
      balance: 0,
    });
  });

  it('adds a payment delivered twice once', async () => {
    const credits = await ledger();
    const grant = { userId: 'u2', amount: 50, operation: 'stars', key: 'telegram-charge-1' };
    expect(await credits.grant(grant)).toBe(50);
    expect(await credits.grant(grant)).toBe(50);
    expect(await credits.history('u2')).toHaveLength(1);
  });

  it('refuses amounts that are not whole numbers above 0, bad keys, and another user’s key', async () => {
    const credits = await ledger();
    for (const amount of [0, -1, 1.5, Number.NaN]) {
      const error = await credits
        .charge({ userId: 'u1', amount, operation: 'x', key: 'k' })
        .catch((caught: unknown) => caught);
      expect(isBotwireError(error) && error.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    }
    const empty = await credits
      .grant({ userId: 'u1', amount: 1, operation: 'x', key: '' })
      .catch((caught: unknown) => caught);
    expect(isBotwireError(empty) && empty.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    await credits.grant({ userId: 'u1', amount: 5, operation: 'admin', key: 'g' });
    await credits.grant({ userId: 'u3', amount: 5, operation: 'admin', key: 'g3' });
    await credits.charge({ userId: 'u1', amount: 1, operation: 'x', key: 'shared' });
    const stolen = await credits
      .charge({ userId: 'u3', amount: 1, operation: 'x', key: 'shared' })
      .catch((caught: unknown) => caught);
    expect(isBotwireError(stolen) && stolen.code).toBe('BOTWIRE_INVALID_ARGUMENT');
    expect(await credits.balance('u3')).toBe(5);
  });
});
