import { randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The one-time code that makes its first sender the bot's owner.
 * Printed at start-up while the bot has no owner; spent on first use.
 */
export class ClaimCode {
  readonly value: string;
  private spent = false;
  private readonly wrongAttempts = new Map<string, number>();

  constructor(value?: string) {
    this.value = value ?? `${randomInt(100, 1000)}-${randomInt(100, 1000)}-${randomInt(100, 1000)}`;
  }

  /** Whether the code can still be used. */
  get active(): boolean {
    return !this.spent;
  }

  /** True when `text` (e.g. `123-456-789` or `/claim 123456789`) is the code; spends it. */
  tryClaim(userId: string, text: string): 'claimed' | 'wrong' | 'not-a-claim' | 'locked' {
    if (this.spent) return 'not-a-claim';
    const candidate = text.trim().replace(/^\/claim(@\S+)?\s*/i, '');
    const looksLikeClaim =
      /^\/claim\b/i.test(text.trim()) || /^\d{3}-?\d{3}-?\d{3}$/.test(candidate);
    if (!looksLikeClaim) return 'not-a-claim';
    const attempts = this.wrongAttempts.get(userId) ?? 0;
    if (attempts >= 5) return 'locked';
    const normalized = candidate.replace(/-/g, '');
    const expected = this.value.replace(/-/g, '');
    const a = Buffer.from(normalized.padEnd(expected.length, ' ').slice(0, 64));
    const b = Buffer.from(expected.padEnd(normalized.length, ' ').slice(0, 64));
    if (a.length === b.length && timingSafeEqual(a, b) && normalized.length === expected.length) {
      this.spent = true;
      return 'claimed';
    }
    this.wrongAttempts.set(userId, attempts + 1);
    return 'wrong';
  }
}
