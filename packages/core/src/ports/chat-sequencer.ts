/**
 * The chat sequencer port: keeps the updates of one chat in their platform order across every
 * process of a bot (several processes behind one Telegram webhook). An adapter announces an
 * update as it accepts it, before the platform is told it arrived, waits for its turn before it
 * runs it, and leaves when it is done; an update runs only once every earlier announced update
 * of its chat has left. Drivers: storage (the default for storage several processes can
 * share) and Redis (`redisChatSequencer()` from `@botwire/queue-bullmq`).
 */
export interface ChatSequencer {
  /** `storage`, `redis`, ... */
  readonly name: string;
  /** Announces update `sequence` of `chat` (idempotent). Call it before acknowledging the update. */
  enter(chat: string, sequence: number): Promise<void>;
  /**
   * Resolves once no earlier update of `chat` is announced: it is this update's turn. While it
   * waits it asks `isStale(earlier)` now and then about the update that blocks it; when that says
   * the update will never leave (it was done, or given up, by a process that died before leaving)
   * it is removed. Rejects with the signal's reason when aborted.
   */
  turn(
    chat: string,
    sequence: number,
    options?: { signal?: AbortSignal; isStale?: (earlier: number) => Promise<boolean> },
  ): Promise<void>;
  /** The update is done (or given up): the next one of the chat may run. */
  leave(chat: string, sequence: number): Promise<void>;
  /**
   * Notes that update `sequence` of `chat` handed an answer to the messenger. Call it the moment
   * the message's request has been handed to the operating system, without waiting for it: a
   * driver starts the write in that same step when it can (Redis when connected; storage that
   * has `flush` commits it there), so that only a process killed in the microseconds between
   * the request and the note repeats the answer. A replay after a crash asks
   * {@link wasAnswered} and does not answer twice.
   */
  answered(chat: string, sequence: number): Promise<void>;
  /** Takes the note back: the messenger refused the message, so it never reached the chat. */
  unanswered(chat: string, sequence: number): Promise<void>;
  /** True when update `sequence` of `chat` handed out an answer before its process stopped. */
  wasAnswered(chat: string, sequence: number): Promise<boolean>;
  /** Closes connections the driver opened. */
  close(): Promise<void>;
}
