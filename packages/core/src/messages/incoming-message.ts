import type { Plan } from '../planner/plan';

/** The messenger a message came from: `telegram`, `discord`, `web`, `console`, or an adapter's own name. */
export type PlatformName = string;

/** Who sent a message, as the platform knows them. */
export interface Sender {
  /** The sender's id on the platform (Telegram user id, Discord snowflake, ...), as a string. */
  platformId: string;
  /** A display name, when the platform gives one. */
  name?: string;
  /** The platform handle without `@`, when there is one. */
  username?: string;
  /** An IETF language tag the platform reports for the user, such as `ru` or `en-US`. */
  locale?: string;
  /** True when the adapter can vouch that this is the person who runs the bot (the console). */
  isLocalOperator?: boolean;
  /**
   * The role the adapter vouches for after checking a credential (the web chat's owner token
   * gives `owner`, a new invitation `user`). Honoured only when the adapter has `verifiesRoles`;
   * `user` only admits someone who has no role yet.
   */
  verifiedRole?: 'owner' | 'user';
}

/** The queued job a message comes from; see {@link IncomingMessage.job}. */
export interface JobOrigin {
  /** The job's id in the bot's queue. */
  id: string;
  /** `background`: work the user asked for earlier; `scheduled`: a task set to run at a time. */
  kind: 'background' | 'scheduled';
  /** For background work: the plan made when it was asked for, run as it is. */
  plan?: Plan;
}

/** Where a message was sent, as the platform knows it. */
export interface ChatRef {
  /** The chat's id on the platform, as a string. */
  platformId: string;
  /** `private` for one-to-one chats, `group` for groups and channels. */
  type: 'private' | 'group';
  /** The group or channel title, when there is one. */
  title?: string;
}

/** A file the user sent. Its bytes are fetched only when a handler asks for them. */
export interface Attachment {
  kind: 'photo' | 'voice' | 'audio' | 'video' | 'document' | 'contact' | 'location' | 'sticker';
  /** The platform's file id or URL. */
  platformId?: string;
  name?: string;
  mimeType?: string;
  /** Size in bytes, when known. */
  size?: number;
  /** Reads the file's bytes (adapters enforce their own size limits). */
  download?: (signal?: AbortSignal) => Promise<Uint8Array>;
  /** Extra fields for kinds such as `contact` (`phone`) or `location` (`latitude`, `longitude`). */
  data?: Record<string, unknown>;
}

/**
 * A payment the user makes through the messenger (Telegram Stars), in two steps: `check` just
 * before they pay (approve or decline it within seconds), then `paid` once the money arrived.
 */
export interface PaymentEvent {
  stage: 'check' | 'paid';
  /** What the invoice carried ({@link Invoice.payload}): which product, for whom. */
  payload: string;
  /** `XTR` (Telegram Stars) or an ISO 4217 code. */
  currency: string;
  /** In the currency's smallest units (Stars: whole stars). */
  amount: number;
  /** For `paid`: the messenger's id of the payment, unique per payment: a key to credit it once. */
  chargeId?: string;
  /**
   * For `check`: approves (`true`) or declines the payment, with a reason shown to the user.
   * Answer once; a check nobody answered is declined once the bot has handled it.
   */
  answer?: (approve: boolean, reason?: string) => Promise<void>;
}

/** A parsed slash command: `/remind 9:00 call mum` → `{ name: 'remind', argument: '9:00 call mum' }`. */
export interface CommandCall {
  /** The command's name in lower case, without `/` and without a `@botname` suffix. */
  name: string;
  /** Everything after the command, trimmed (empty string when nothing). */
  argument: string;
}

/**
 * One message from a user, the same shape on every messenger.
 * Adapters build it; middleware and skills read it.
 */
export interface IncomingMessage {
  /** The adapter that received it (`console`, `telegram`, ...). */
  platform: PlatformName;
  /** The platform's id of this message or update, used to process it once. */
  platformMessageId: string;
  sender: Sender;
  chat: ChatRef;
  /** What kind of event this is: a message, a press of a button sent earlier, or a payment step. */
  kind: 'message' | 'button' | 'payment';
  /** The text, or the caption of a file; empty string when there is none. */
  text: string;
  /** The slash command, when the text starts with one. */
  command?: CommandCall;
  /** For `kind: 'button'`: the `data` of the button that was pressed. */
  buttonData?: string;
  /** For `kind: 'payment'`: the payment step. */
  payment?: PaymentEvent;
  attachments: Attachment[];
  /** The platform id of the message this one replies to, and its text when known. */
  replyTo?: { platformMessageId: string; text?: string };
  /** When the platform says it was sent. */
  sentAt: Date;
  /**
   * Set when the bot runs a queued job as if the user had sent it: work asked for "in the
   * background" (with the plan the planner made then) or a scheduled task. Adapters never set it.
   */
  job?: JobOrigin;
  /** The raw platform event, for adapter-specific middleware. Never logged. */
  raw?: unknown;
}

/**
 * Splits a leading slash command off a text. `/start@MyBot hi` → `{ name: 'start', argument: 'hi' }`.
 * Returns undefined when the text is not a command.
 */
export function parseCommand(text: string): CommandCall | undefined {
  const match = /^\/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), argument: (match[2] ?? '').trim() };
}
