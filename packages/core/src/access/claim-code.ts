import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '../ports/storage';

const namespace = 'runtime';
const claimKey = 'claim-code';
/** Wrong attempts one user may make before the code stops listening to them (for an hour). */
const perUserAttempts = 5;
/** Wrong attempts from everyone before the code is withdrawn (a restart prints a new one). */
const totalAttempts = 50;

/** The claim code as stored: only its hash, never the code itself. */
interface StoredClaim {
  hash: string;
  salt: string;
  wrong: number;
}

/** What a message did to the claim code. */
export type ClaimOutcome = 'claimed' | 'wrong' | 'locked' | 'not-a-claim' | 'none';

/**
 * The one-time code that makes its first sender the bot's owner. It is shown on the terminal
 * at start-up while the bot has no owner and kept in storage only as a salted hash, with an
 * expiry and limits on wrong attempts, so a restart or a second process sharing the data
 * directory sees the same state.
 */
export class ClaimCodes {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  /** Makes a new code (replacing any earlier one) and returns it, to be shown once. */
  async issue(code = newCode()): Promise<string> {
    const salt = randomBytes(16).toString('base64url');
    const stored: StoredClaim = { hash: hashCode(code, salt), salt, wrong: 0 };
    await this.kv.set(namespace, claimKey, stored, { ttlMs: this.ttlMs });
    return code;
  }

  /** True while a code is waiting to be claimed. */
  async active(): Promise<boolean> {
    return (await this.kv.get(namespace, claimKey)) !== undefined;
  }

  /** Forgets the code (the bot has an owner now). */
  async withdraw(): Promise<void> {
    await this.kv.delete(namespace, claimKey);
  }

  /**
   * Checks a message (`123-456-789`, `123456789` or `/claim 123-456-789`) against the code.
   * `claimed` is returned to one sender only, also across processes.
   */
  async tryClaim(userId: string, text: string): Promise<ClaimOutcome> {
    const trimmed = text.trim();
    const candidate = trimmed.replace(/^\/claim(@\S+)?\s*/i, '');
    const looksLikeClaim = /^\/claim\b/i.test(trimmed) || /^\d{3}-?\d{3}-?\d{3}$/.test(candidate);
    if (!looksLikeClaim) return 'not-a-claim';
    const stored = await this.kv.get<StoredClaim>(namespace, claimKey);
    if (!stored) return 'none';
    const attemptsKey = `claim-wrong:${userId}`;
    if (((await this.kv.get<number>(namespace, attemptsKey)) ?? 0) >= perUserAttempts)
      return 'locked';
    const given = Buffer.from(hashCode(candidate.replace(/[-\s]/g, ''), stored.salt));
    const expected = Buffer.from(stored.hash);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      // Deleting is atomic: of two senders of the right code, one wins.
      return (await this.kv.delete(namespace, claimKey)) ? 'claimed' : 'none';
    }
    await this.kv.increment(namespace, attemptsKey, 1, { ttlMs: 60 * 60 * 1000 });
    const wrong = await this.kv.increment(namespace, 'claim-wrong-total', 1, { ttlMs: this.ttlMs });
    if (wrong >= totalAttempts) await this.withdraw();
    return 'wrong';
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
