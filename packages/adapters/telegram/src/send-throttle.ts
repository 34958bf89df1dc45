import type { Transformer } from 'grammy';

/** Telegram's published sending limits, as token buckets. */
export interface ThrottleOptions {
  /** Messages per second across all chats. Default 30. */
  globalPerSecond?: number;
  /** Messages per second into one private chat. Default 1. */
  privatePerSecond?: number;
  /** Messages per minute into one group or channel. Default 20. */
  groupPerMinute?: number;
  /** How many messages one chat may send at once before the rate applies. Default 3. */
  burst?: number;
  /** For tests: the clock. */
  now?: () => number;
}

/** Bot API methods that put a new message into a chat. */
export const sendingMethods: ReadonlySet<string> = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendAudio',
  'sendVoice',
  'sendVideo',
  'sendVideoNote',
  'sendAnimation',
  'sendSticker',
  'sendMediaGroup',
  'sendLocation',
  'sendVenue',
  'sendContact',
  'sendPoll',
  'sendDice',
  'sendInvoice',
  'copyMessage',
  'forwardMessage',
]);

class Bucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes a token (possibly one not yet refilled) and returns how long to wait for it. */
  reserve(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }

  /** True when the bucket is full again, so forgetting it changes nothing. */
  idle(now: number): boolean {
    return this.tokens + (now - this.updatedAt) * this.perMs >= this.capacity;
  }
}

/**
 * Computes how long each send must wait to stay within Telegram's limits: globally and per chat
 * (private chats and groups have different rates). Sends that wait keep their order.
 */
export class SendThrottle {
  private readonly global: Bucket;
  private readonly chats = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    const perSecond = options.globalPerSecond ?? 30;
    this.global = new Bucket(perSecond, perSecond / 1000, this.now());
  }

  /** Reserves a slot for one message into a chat; returns the milliseconds to wait. */
  reserve(chatId: string | number): number {
    const now = this.now();
    const key = String(chatId);
    let bucket = this.chats.get(key);
    if (!bucket) {
      const isPrivate = /^\d+$/.test(key);
      const perMs = isPrivate
        ? (this.options.privatePerSecond ?? 1) / 1000
        : (this.options.groupPerMinute ?? 20) / 60_000;
      bucket = new Bucket(this.options.burst ?? 3, perMs, now);
      if (this.chats.size >= 10_000) this.forgetIdle(now);
      this.chats.set(key, bucket);
    }
    return Math.max(bucket.reserve(now), this.global.reserve(now));
  }

  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.chats) if (bucket.idle(now)) this.chats.delete(key);
  }
}

/**
 * A grammY API transformer that delays sending methods (`sendMessage`, `sendPhoto`, ...) to
 * Telegram's limits: 30 messages a second in all, 1 a second into a private chat and 20 a
 * minute into a group, with a small burst per chat. Other methods pass at once.
 */
export function throttleTransformer(options: ThrottleOptions = {}): Transformer {
  const throttle = new SendThrottle(options);
  return async (previous, method, payload, signal) => {
    const chatId = (payload as { chat_id?: string | number } | undefined)?.chat_id;
    if (sendingMethods.has(method) && chatId !== undefined) {
      const waitMs = throttle.reserve(chatId);
      if (waitMs > 0) await sleep(waitMs, signal as AbortSignal | undefined);
    }
    return previous(method, payload, signal);
  };
}

/** Waits, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
