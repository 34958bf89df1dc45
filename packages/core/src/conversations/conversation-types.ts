import type { Attachment, IncomingMessage } from '../messages/incoming-message';
import type { OutgoingMessage } from '../messages/outgoing-message';
import type { BotContext } from '../runtime/bot-context';

/** The data a conversation collects: one field per answered step, plus whatever it was entered with. */
export type ConversationData = Record<string, unknown>;

/** A user's answer to a step. */
export interface ConversationAnswer {
  /** The text (or a button's label). */
  text: string;
  /** The data of the button pressed, when the answer is a button. */
  buttonData?: string;
  attachments: Attachment[];
  message: IncomingMessage;
}

/**
 * What a step's `answer` returns: `{ value }` accepts the answer (stored as `data[step.id]`),
 * optionally with `next` to branch (`null` ends the conversation); `{ error }` re-asks with
 * that hint.
 */
export type AnswerResult =
  | {
      value: unknown;
      next?: string | null;
      /** More fields for the data, beside `data[step.id]` (what checking the answer found out). */
      data?: Record<string, unknown>;
    }
  | { error: string };

/** A question the user may be shown: a text, a message with buttons, or made from the data. */
export type StepQuestion<D extends ConversationData> =
  | string
  | OutgoingMessage
  | ((
      context: BotContext,
      data: D,
    ) => string | OutgoingMessage | Promise<string | OutgoingMessage>);

/** One step of a conversation: ask, read the answer, go on. */
export interface ConversationStep<D extends ConversationData = ConversationData> {
  /** The step's id, stored with the chat's state (renaming it strands chats waiting at it). */
  id: string;
  ask: StepQuestion<D>;
  /** Checks and converts the answer. Default: any non-empty text is accepted as it is. */
  answer?(
    answer: ConversationAnswer,
    data: D,
    context: BotContext,
  ): AnswerResult | Promise<AnswerResult>;
  /** The next step's id, or `null` to finish. Default: the step after this one in the list. */
  next?: string | null | ((data: D) => string | null);
  /** True when the step is not needed for this data (it is not asked). */
  skip?(data: D): boolean;
  /**
   * True when the answer is a secret (a password, a token): the chat's history keeps the
   * message as `[redacted]`, the value is hidden from logs, replies and the model, and it is
   * kept encrypted (not in the conversation's state) until `done` gets it.
   */
  secret?: boolean;
}

/** A multi-step flow (a wizard), persisted per chat and user; see {@link defineConversation}. */
export interface ConversationDefinition<D extends ConversationData = ConversationData> {
  /** Unique among the bot's conversations. */
  name: string;
  steps: ConversationStep<D>[];
  /** Runs once, after the last step was answered. */
  done(context: BotContext, data: D): unknown;
  /** Runs when the user sends /cancel. */
  cancelled?(context: BotContext, data: D): unknown;
  /** How long the user has to answer each step. Default 15 minutes. */
  timeoutMs?: number;
  /** Wrong answers to one step before the conversation gives up. Default 3. */
  maxAttempts?: number;
}

/** Where a chat's user stands in a conversation, as stored. */
export interface ConversationState {
  name: string;
  step: string;
  data: ConversationData;
  attempts: number;
  /** Epoch milliseconds after which the answer is late. */
  expiresAt: number;
}
