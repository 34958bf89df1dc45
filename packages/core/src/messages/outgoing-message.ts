/** A button under a message. Pressing it sends a `button` message with its `data`. */
export interface Button {
  /** What the button says. */
  label: string;
  /** What comes back when it is pressed (at most 64 bytes, Telegram's limit). */
  data?: string;
  /** Opens a link instead of sending data. */
  url?: string;
}

/**
 * A bill the user can pay in the messenger (Telegram Stars: `currency: 'XTR'`). Paying it sends
 * `payment` messages: a `check`, then `paid`.
 */
export interface Invoice {
  title: string;
  description: string;
  /** Comes back with the payment: what is bought, for whom (at most 128 bytes). */
  payload: string;
  /** `XTR` for Telegram Stars. */
  currency: string;
  /** In the currency's smallest units (Stars: whole stars). */
  amount: number;
  /** The price's label (default: the title). */
  label?: string;
}

/** A file the bot sends: the result of a tool (a PDF, a screenshot, ...). */
export interface Artifact {
  name: string;
  mimeType: string;
  /** The bytes; adapters upload them or serve them by URL. */
  data: Uint8Array;
  /** A caption shown with the file. */
  caption?: string;
}

/** A voice message: OGG/Opus audio, as a text-to-speech driver makes it. */
export interface VoiceMessage {
  data: Uint8Array;
  /** `audio/ogg` (Opus). */
  mimeType: string;
  /** How long it plays, in seconds, when known. */
  durationSeconds?: number;
}

/** One reply, the same shape on every messenger. Adapters render it within their limits. */
export interface OutgoingMessage {
  /** The text. Markdown when `format` is `markdown`. */
  text: string;
  /** `plain` (default) or `markdown`; adapters without Markdown show it as written. */
  format?: 'plain' | 'markdown';
  /** Rows of buttons. Adapters without buttons show them as numbered options. */
  buttons?: Button[][];
  artifacts?: Artifact[];
  /** A voice message, sent after the text; adapters without the `voice` capability get it as a file. */
  voice?: VoiceMessage;
  /** The platform message id this message replies to. */
  replyTo?: string;
  /**
   * Asks for the user's own phone number with the messenger's share-contact button (Telegram's
   * `request_contact` keyboard). Adapters without the `contactRequest` capability leave it out,
   * so the text should also say what to do. The contact comes back as a `contact` attachment.
   */
  requestContact?: { label: string };
  /** A bill to pay in the messenger; adapters without the `payments` capability leave it out. */
  invoice?: Invoice;
  /**
   * Set on what a queued job sends when it finishes (background work, a scheduled task): the
   * web chat sends it as a `job_result` event; other messengers show it as a message.
   */
  job?: { id: string; kind: 'background' | 'scheduled' };
}

/** What an adapter reports after sending: the ids the platform gave the sent parts. */
export interface SentMessage {
  platformMessageIds: string[];
}

/** Accepts a string or an OutgoingMessage and returns an OutgoingMessage. */
export function toOutgoing(message: string | OutgoingMessage): OutgoingMessage {
  return typeof message === 'string' ? { text: message } : message;
}
