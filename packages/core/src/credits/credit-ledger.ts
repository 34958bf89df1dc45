import { BotwireError } from '../errors/botwire-error';
import type { KeyValueStore } from '../ports/storage';

/** The ledger's namespace in the bot's key-value store. */
export const creditsNamespace = 'credits';

/** One line of a user's credit history. */
export interface CreditEntry {
  /** When, in ms since the epoch. */
  at: number;
  /** `charge` (an operation paid), `refund` (given back when it failed), `grant` (added by an admin or a payment). */
  kind: 'charge' | 'refund' | 'grant';
  /** Positive for grants and refunds, negative for charges. */
  amount: number;
  /** What it was for: `avatar.train`, `image.generate`, `stars:<payment id>`, ... */
  operation: string;
  /** The idempotency key of the charge, grant or refund. */
  key: string;
  /** Who granted it (a user id), for grants. */
  by?: string;
}

/** What {@link CreditLedger.charge} did. */
export type ChargeResult =
  | { charged: true; balance: number; repeated: boolean }
  | { charged: false; balance: number; reason: 'insufficient' };

interface ChargeRecord {
  userId: string;
  amount: number;
  operation: string;
  at: number;
  state: 'pending' | 'charged';
}

/** How long a charge's record (its idempotency key) is kept. */
const keyTtlMs = 30 * 86_400_000;

/**
 * Users' credit balances on the storage port: atomic and idempotent charges (the same key is
 * charged once, however often it is retried or raced), refunds when an operation fails, grants,
 * and a history per user. Balances change only through the storage's atomic increment, so
 * several bot processes sharing one database keep them right.
 *
 * A charge takes the amount first and gives it back at once when the balance went below zero:
 * two concurrent charges never overdraw, though a charge racing a larger one that fails may be
 * refused while the larger one is being given back (it can simply be retried).
 *
 * @example
 * const ledger = new CreditLedger(storage.kv);
 * const paid = await ledger.charge({ userId, amount: 5, operation: 'image.generate', key: requestId });
 * if (!paid.charged) return reply('Not enough credits: /balance');
 * try { await generate(); } catch (error) { await ledger.refund(requestId); throw error; }
 */
export class CreditLedger {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user's balance (0 when they never had credits). */
  async balance(userId: string): Promise<number> {
    return (await this.kv.get<number>(creditsNamespace, balanceKey(userId))) ?? 0;
  }

  /**
   * Takes `amount` credits for an operation, once per `key`: a retry with the same key returns
   * the first outcome (`repeated: true`) without charging again. Refused, with nothing taken,
   * when the balance is too small; a refused key may be charged later (after a top-up).
   */
  async charge(request: {
    userId: string;
    amount: number;
    operation: string;
    key: string;
  }): Promise<ChargeResult> {
    const { userId, amount, operation, key } = request;
    checkAmount(amount);
    checkKey(key);
    const record: ChargeRecord = { userId, amount, operation, at: this.now(), state: 'pending' };
    // Another call holds the key: its outcome is this call's, unless it was refused (or
    // refunded) and gave the key back, when this call tries again.
    for (let attempt = 0; ; attempt++) {
      if (await this.kv.add(creditsNamespace, chargeKey(key), record, { ttlMs: keyTtlMs })) break;
      const settled = await this.settled(key);
      if (settled && settled.userId !== userId)
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `The idempotency key "${key}" belongs to another user's charge.`,
        });
      if (settled) return { charged: true, balance: await this.balance(userId), repeated: true };
      if (attempt >= 3)
        throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
          message: `The charge "${key}" is being settled by another call; try again.`,
        });
    }
    const after = await this.kv.increment(creditsNamespace, balanceKey(userId), -amount);
    if (after < 0) {
      const restored = await this.kv.increment(creditsNamespace, balanceKey(userId), amount);
      await this.kv.delete(creditsNamespace, chargeKey(key));
      return { charged: false, balance: Math.max(restored, 0), reason: 'insufficient' };
    }
    await this.kv.set(
      creditsNamespace,
      chargeKey(key),
      { ...record, state: 'charged' },
      { ttlMs: keyTtlMs },
    );
    await this.append(userId, { at: record.at, kind: 'charge', amount: -amount, operation, key });
    return { charged: true, balance: after, repeated: false };
  }

  /**
   * Gives back a charge whose operation failed (the provider refused, the job failed). Once per
   * charge: a second call, or a call for a key never charged, returns false. The key is free
   * again afterwards, so a retry of the operation is charged anew.
   */
  async refund(key: string): Promise<boolean> {
    checkKey(key);
    const record = await this.settled(key);
    if (record?.state !== 'charged') return false;
    // Once per charge (the key may be charged again later: its record goes with the refund).
    const marker = `refund:${key}:${record.at}`;
    if (!(await this.kv.add(creditsNamespace, marker, this.now(), { ttlMs: keyTtlMs })))
      return false;
    await this.kv.increment(creditsNamespace, balanceKey(record.userId), record.amount);
    await this.kv.delete(creditsNamespace, chargeKey(key));
    await this.append(record.userId, {
      at: this.now(),
      kind: 'refund',
      amount: record.amount,
      operation: record.operation,
      key,
    });
    return true;
  }

  /**
   * Adds credits (an admin's grant, a payment), once per `key`: a payment delivered twice adds
   * once. Returns the balance after it.
   */
  async grant(request: {
    userId: string;
    amount: number;
    operation: string;
    key: string;
    by?: string;
  }): Promise<number> {
    const { userId, amount, operation, key, by } = request;
    checkAmount(amount);
    checkKey(key);
    if (!(await this.kv.add(creditsNamespace, `grant:${key}`, this.now(), { ttlMs: keyTtlMs })))
      return this.balance(userId);
    const after = await this.kv.increment(creditsNamespace, balanceKey(userId), amount);
    await this.append(userId, {
      at: this.now(),
      kind: 'grant',
      amount,
      operation,
      key,
      ...(by ? { by } : {}),
    });
    return after;
  }

  /** The user's newest history entries, newest first. */
  async history(userId: string, limit = 20): Promise<CreditEntry[]> {
    const entries = await this.kv.list<CreditEntry>(creditsNamespace, {
      prefix: `history:${userId}:`,
      limit: 100_000,
    });
    return entries
      .slice(-limit)
      .map((entry) => entry.value)
      .reverse();
  }

  private async append(userId: string, entry: CreditEntry): Promise<void> {
    // A counter per user keeps the order of entries of one millisecond.
    const sequence = await this.kv.increment(creditsNamespace, `history-count:${userId}`);
    await this.kv.set(
      creditsNamespace,
      `history:${userId}:${String(sequence).padStart(12, '0')}`,
      entry,
    );
  }

  /** The charge record of a key, waiting a little while another process is still settling it. */
  private async settled(key: string): Promise<ChargeRecord | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const record = await this.kv.get<ChargeRecord>(creditsNamespace, chargeKey(key));
      if (!record || record.state !== 'pending') return record;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.kv.get<ChargeRecord>(creditsNamespace, chargeKey(key));
  }
}

function balanceKey(userId: string): string {
  return `balance:${userId}`;
}

function chargeKey(key: string): string {
  return `charge:${key}`;
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: `A credit amount is a whole number above 0, not ${amount}.`,
    });
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200)
    throw new BotwireError('BOTWIRE_INVALID_ARGUMENT', {
      message: 'An idempotency key is a string of 1 to 200 characters.',
    });
}
