import { randomBytes } from 'node:crypto';
import { BotwireError, type ScopedKeyValueStore } from '@botwire/core';
import type { ChatEvent } from './chat-channels';

/** Options for {@link ChatHistory}. */
export interface ChatHistoryOptions {
  /** Messages kept per chat; older ones are deleted as new ones come. */
  size: number;
  /** How long a message is kept. */
  ttlMs: number;
}

/** A message to add: everything but what the history assigns. */
export type NewChatEvent = Omit<ChatEvent, 'type' | 'seq' | 'at'> & { type?: ChatEvent['type'] };

const seqDigits = 12;

/** `history:<chat>:` — the chat id encoded, so one chat's prefix never covers another's keys. */
const chatPrefix = (chatId: string) => `history:${encodeURIComponent(chatId)}:`;
const entryKey = (chatId: string, seq: number) =>
  `${chatPrefix(chatId)}${String(seq).padStart(seqDigits, '0')}`;
const seqKey = (chatId: string) => `seq:${encodeURIComponent(chatId)}`;

/**
 * The recent messages of each web chat, kept in the adapter's key-value namespace so a page
 * reloaded after a restart (or served by another process on the same storage) shows them. Each
 * message is one entry that expires on its own; the sequence number of a chat is an atomic
 * counter, so two processes never give two messages the same number.
 *
 * @example
 * const history = new ChatHistory(host.kv, { size: 100, ttlMs: 30 * 86_400_000 });
 * const event = await history.append('owner', { from: 'user', text: 'hi' });
 * await history.since('owner', event.seq - 1); // → [event]
 */
export class ChatHistory {
  constructor(
    private readonly kv: ScopedKeyValueStore,
    private readonly options: ChatHistoryOptions,
  ) {}

  /**
   * The history's epoch: made once and kept with the messages. It changes only when the stored
   * history is gone (memory storage after a restart, a new data directory), so a page whose
   * epoch differs knows that its sequence numbers no longer mean anything.
   */
  async epoch(): Promise<string> {
    await this.kv.add('epoch', randomBytes(6).toString('base64url'));
    const epoch = await this.kv.get<string>('epoch');
    if (!epoch)
      throw new BotwireError('BOTWIRE_STORAGE_FAILED', {
        message:
          'The web chat could not keep its history epoch: check that the storage is writable.',
      });
    return epoch;
  }

  /** Numbers the message, stores it, and forgets the one that fell out of the window. */
  async append(chatId: string, event: NewChatEvent): Promise<ChatEvent> {
    // The counter has no expiry: were it to restart at 1, old entries would sort after new ones.
    const seq = await this.kv.increment(seqKey(chatId));
    const full: ChatEvent = { type: 'message', seq, ...event, at: new Date().toISOString() };
    await this.kv.set(entryKey(chatId, seq), full, { ttlMs: this.options.ttlMs });
    if (seq > this.options.size) await this.kv.delete(entryKey(chatId, seq - this.options.size));
    return full;
  }

  /** The chat's kept messages numbered after `seq`, oldest first. */
  async since(chatId: string, seq: number): Promise<ChatEvent[]> {
    const entries = await this.kv.list<ChatEvent>({ prefix: chatPrefix(chatId) });
    // More than the window: left by a smaller `size` than before, or a delete a crash cut off.
    const extra = entries.length - this.options.size;
    for (const { key } of entries.slice(0, Math.max(0, extra))) await this.kv.delete(key);
    return entries
      .slice(Math.max(0, extra))
      .map(({ value }) => value)
      .filter((event) => event.seq > seq);
  }
}
