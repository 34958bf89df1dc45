import type { LocalizedText } from '../i18n/translate';
import type { Logger } from '../logging/logger';
import type { ChatRef, IncomingMessage } from '../messages/incoming-message';
import type { OutgoingMessage, SentMessage } from '../messages/outgoing-message';
import type { ChatSequencer } from './chat-sequencer';
import type { HttpRoutes } from './http-routes';
import type { ScopedKeyValueStore } from './storage';

/** What a messenger can show. The core degrades gracefully for what it cannot. */
export interface AdapterCapabilities {
  /** Buttons under messages. Without them the core sends numbered options the user answers with a number. */
  buttons: boolean;
  /** Markdown formatting. Without it Markdown is sent as written. */
  markdown: boolean;
  /** Sending files. Without it the core lists artifacts by name. */
  files: boolean;
  /** The longest text one platform message may carry; the adapter splits longer texts. */
  maxTextLength: number;
  /** A typing indicator while the bot works. */
  typing?: boolean;
  /** The person at this adapter is the operator of the bot process (a local terminal). */
  localOperator?: boolean;
  /**
   * The adapter authenticates its users itself (the web chat's owner token and invitation
   * tokens), so the core honours the `verifiedRole` it puts on a sender.
   */
  verifiesRoles?: boolean;
  /** A button that shares the user's own phone number ({@link OutgoingMessage.requestContact}). */
  contactRequest?: boolean;
  /** Voice messages ({@link OutgoingMessage.voice}); without them the voice comes as an audio file. */
  voice?: boolean;
  /** Invoices paid in the messenger ({@link OutgoingMessage.invoice}) and `payment` messages. */
  payments?: boolean;
  /**
   * The adapter calls {@link SendOptions.onWrite} in the step that hands a message to the
   * operating system. The bot then notes a reminder as sent in that very step, instead of a
   * little before the send.
   */
  reportsWrites?: boolean;
}

/** What {@link Adapter.send} may be given besides the message. */
export interface SendOptions {
  /**
   * Called once, synchronously, in the step that hands the message's first request to the
   * operating system: right before the write when the adapter makes the write itself (a file,
   * a socket), else right after it (Telegram, whose requests Node's HTTP client writes). From
   * that step on the platform may have the message, whatever happens to this process. Adapters
   * whose capabilities say `reportsWrites` call it; a send that fails before anything was
   * written does not.
   */
  onWrite?: () => void;
}

/** A command of the bot, for messenger command menus. */
export interface CommandInfo {
  name: string;
  /** By BCP-47 language tag, with `en` always there: set a menu per language the descriptions have. */
  description: LocalizedText;
}

/** What the runtime gives an adapter when it starts it. */
export interface AdapterHost {
  /** Processes one message through the bot; resolves when its replies have been sent. */
  receive(message: IncomingMessage): Promise<void>;
  /** Tells the runtime that this adapter has no more input (the terminal closed). */
  end(): void;
  /** The bot's commands, for command menus. */
  commands(): CommandInfo[];
  /** The bot's data directory, for adapters that keep files (the console saves artifacts there). */
  dataDir: string;
  /**
   * The bot's HTTP server, to mount routes (a webhook, the web chat) and WebSocket endpoints on.
   * The bot starts it after every adapter has started.
   */
  http(): HttpRoutes;
  /** The adapter's own key-value namespace in the bot's storage (`adapter:<name>`). */
  kv: ScopedKeyValueStore;
  log: Logger;
  /**
   * Keeps each chat's updates in platform order across the bot's processes (config
   * `sequencer`); undefined when one process holds the storage alone (memory), where an
   * adapter's own per-chat queue is enough. An adapter with durable, ordered update ids
   * (Telegram's `update_id`) announces each update before acknowledging it.
   */
  sequencer?: ChatSequencer;
}

/**
 * A messenger adapter: it translates platform events into {@link IncomingMessage}s and
 * {@link OutgoingMessage}s back into platform calls, within the platform's limits. Nothing else.
 * Every adapter should pass `runAdapterContract` from `@botwire/core/contract-suites`.
 */
export interface Adapter {
  /** The platform name that its messages carry: `console`, `telegram`, ... */
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  /** Connects and starts delivering messages to `host.receive`. Resolves once it is listening. */
  start(host: AdapterHost): Promise<void>;
  /** Stops receiving and releases connections; waits for replies being sent. */
  stop(): Promise<void>;
  /** Sends a message to a chat, split within the platform's limits; fails before start and after stop. */
  send(chat: ChatRef, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage>;
  /**
   * Replaces the text (and buttons) of a message the bot sent earlier, such as a progress
   * message. Optional: without it, callers send a new message instead.
   */
  edit?(chat: ChatRef, platformMessageId: string, message: OutgoingMessage): Promise<void>;
}
