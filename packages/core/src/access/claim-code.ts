import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '../ports/storage';

const namespace = 'runtime';
/** Each live code under its own key: every process of a bot that starts without an owner adds one. */
const codePrefix = 'claim-code:';
/** Where a single code was kept before several processes could each show one. */
const legacyKey = 'claim-code';
/** Who claimed the bot, so that of two right codes sent at once only one wins. */
const claimedKey = 'claim-claimed';
/** Live codes kept at most: a bot restarted again and again without an owner drops the oldest. */
const maxCodes = 8;
/** Wrong attempts one user may make before the code stops listening to them (for an hour). */
const perUserAttempts = 5;
/** Wrong attempts from everyone before the codes are withdrawn (a restart prints a new one). */
const totalAttempts = 50;

/** A claim code as stored: only its hash, never the code itself. */
interface StoredClaim {
  hash: string;
  salt: string;
  /** When it was issued (ms); missing on codes of older versions. */
  at?: number;
}

/** What a message did to the claim code. */
export type ClaimOutcome = 'claimed' | 'wrong' | 'locked' | 'not-a-claim' | 'none';

/**
 * The one-time code that makes its first sender the bot's owner. It is shown on the terminal
 * at start-up while the bot has no owner and kept in storage only as a salted hash, with an
 * expiry and limits on wrong attempts, so a restart or a second process sharing the storage
 * sees the same state. Every process that starts without an owner shows a code of its own, and
 * each works (several processes behind one webhook each print one); the first claimed ends all.
 */
export class ClaimCodes {
  /** The keys of the codes this process issued, withdrawn when it stops. */
  private readonly issued: string[] = [];

  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  /**
   * Makes a new code beside the live ones (another process's) and returns it, to be shown
   * once; {@link release} withdraws it when this process stops.
   */
  async issue(code = newCode()): Promise<string> {
    const salt = randomBytes(16).toString('base64url');
    const stored: StoredClaim = { hash: hashCode(code, salt), salt, at: Date.now() };
    // A bot issues codes only while it has no owner: an earlier claim's mark is history.
    if (this.issued.length === 0 && !(await this.active()))
      await this.kv.delete(namespace, claimedKey);
    const key = `${codePrefix}${randomBytes(6).toString('hex')}`;
    await this.kv.set(namespace, key, stored, { ttlMs: this.ttlMs });
    this.issued.push(key);
    const live = await this.kv.list<StoredClaim>(namespace, { prefix: codePrefix });
    const oldest = live.sort((a, b) => (a.value.at ?? 0) - (b.value.at ?? 0));
    for (const { key } of oldest.slice(0, Math.max(0, live.length - maxCodes)))
      await this.kv.delete(namespace, key);
    return code;
  }

  /**
   * Withdraws the codes this process issued (it stops, and its terminal with the code is gone);
   * the codes other running processes showed stay.
   */
  async release(): Promise<void> {
    for (const key of this.issued.splice(0)) await this.kv.delete(namespace, key);
  }

  /** True while a code is waiting to be claimed. */
  async active(): Promise<boolean> {
    return (await this.codes()).length > 0;
  }

  /** Forgets every code (the bot has an owner now). */
  async withdraw(): Promise<void> {
    for (const { key } of await this.codes()) await this.kv.delete(namespace, key);
  }

  /**
   * Checks a message (`123-456-789`, `123456789` or `/claim 123-456-789`) against the codes.
   * `claimed` is returned to one sender only, also across processes.
   */
  async tryClaim(userId: string, text: string): Promise<ClaimOutcome> {
    const trimmed = text.trim();
    const candidate = trimmed.replace(/^\/claim(@\S+)?\s*/i, '');
    const looksLikeClaim = /^\/claim\b/i.test(trimmed) || /^\d{3}-?\d{3}-?\d{3}$/.test(candidate);
    if (!looksLikeClaim) return 'not-a-claim';
    const codes = await this.codes();
    if (codes.length === 0) return 'none';
    const attemptsKey = `claim-wrong:${userId}`;
    if (((await this.kv.get<number>(namespace, attemptsKey)) ?? 0) >= perUserAttempts)
      return 'locked';
    for (const { key, value } of codes) {
      const given = Buffer.from(hashCode(candidate.replace(/[-\s]/g, ''), value.salt));
      const expected = Buffer.from(value.hash);
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        // Deleting is atomic: of two senders of the right code, one wins; the bot has an
        // owner then, and the other processes' codes go too.
        if (!(await this.kv.delete(namespace, key))) return 'none';
        // Two right codes (of two processes) sent at once: one sender becomes the owner.
        if (!(await this.kv.add(namespace, claimedKey, userId, { ttlMs: this.ttlMs })))
          return 'none';
        await this.withdraw();
        return 'claimed';
      }
    }
    await this.kv.increment(namespace, attemptsKey, 1, { ttlMs: 60 * 60 * 1000 });
    const wrong = await this.kv.increment(namespace, 'claim-wrong-total', 1, { ttlMs: this.ttlMs });
    if (wrong >= totalAttempts) await this.withdraw();
    return 'wrong';
  }

  /** The live codes, a code of an older version included. */
  private async codes(): Promise<Array<{ key: string; value: StoredClaim }>> {
    const [legacy, live] = await Promise.all([
      this.kv.get<StoredClaim>(namespace, legacyKey),
      this.kv.list<StoredClaim>(namespace, { prefix: codePrefix }),
    ]);
    return legacy ? [{ key: legacyKey, value: legacy }, ...live] : live;
  }
}

/** A fresh nine-digit code, `123-456-789`. */
export function newCode(): string {
  return `${randomInt(100, 1000)}-${randomInt(100, 1000)}-${randomInt(100, 1000)}`;
}

function hashCode(code: string, salt: string): string {
  return createHash('sha256')
    .update(`${salt}:${code.replace(/-/g, '')}`)
    .digest('base64url');
}
