import { splitText } from '../adapters/split-text';
import { BotwireError } from '../errors/botwire-error';
import {
  type Attachment,
  type IncomingMessage,
  type PaymentEvent,
  parseCommand,
} from '../messages/incoming-message';
import type { OutgoingMessage } from '../messages/outgoing-message';
import type { Adapter, AdapterCapabilities, AdapterHost } from '../ports/adapter';

/** A message the test adapter "delivered" to a chat. */
export interface DeliveredMessage extends OutgoingMessage {
  chatId: string;
  platformMessageId: string;
}

/** Who a simulated message comes from. */
export interface TestSender {
  userId?: string;
  chatId?: string;
  name?: string;
  locale?: string;
  /** Act as the local operator (only honoured when the adapter has `localOperator`). */
  operator?: boolean;
}

/** A file a simulated user sends. */
export interface TestFile {
  name: string;
  data: Uint8Array;
  mimeType?: string;
  /** Default `document`. */
  kind?: Attachment['kind'];
  /** The size the platform reports; default the data's length (set it to test size checks). */
  size?: number;
}

/** The adapter plus the handles a test uses to act as users. */
export interface TestAdapter {
  adapter: Adapter;
  /** Sends a text as a user and resolves with the replies it produced. */
  say(text: string, from?: TestSender): Promise<DeliveredMessage[]>;
  /** Presses a button as a user and resolves with the replies. */
  press(data: string, from?: TestSender): Promise<DeliveredMessage[]>;
  /** Sends a file (with an optional caption) as a user and resolves with the replies. */
  sendFile(file: TestFile, caption?: string, from?: TestSender): Promise<DeliveredMessage[]>;
  /** Every message delivered so far, to every chat. */
  /**
   * Shares a contact card, as Telegram's share-contact button does: `userId` is the account the
   * contact belongs to (the sender's own id for their own number; leave it out or use another
   * for someone else's contact).
   */
  shareContact(
    contact: { phone: string; userId?: string; firstName?: string },
    from?: TestSender,
  ): Promise<DeliveredMessage[]>;
  /**
   * Sends a step of a payment (as Telegram does for an invoice); for a `check`, resolves with
   * the bot's answer too (`undefined` when nothing answered it).
   */
  pay(
    payment: Omit<PaymentEvent, 'answer'>,
    from?: TestSender,
  ): Promise<{ replies: DeliveredMessage[]; answer?: { approve: boolean; reason?: string } }>;
  delivered: DeliveredMessage[];
}

/**
 * An in-memory messenger for testing bots and middleware without a platform.
 *
 * @example
 * const test = testAdapter();
 * const bot = createBot({ config: { storage: 'memory', access: 'open' }, adapters: [test.adapter] });
 * await bot.start();
 * const [reply] = await test.say('/help');
 */
export function testAdapter(
  capabilities: Partial<AdapterCapabilities> = {},
  name = 'test',
): TestAdapter {
  const delivered: DeliveredMessage[] = [];
  const full: AdapterCapabilities = {
    buttons: true,
    markdown: true,
    files: true,
    maxTextLength: 4096,
    voice: true,
    ...capabilities,
  };
  let host: AdapterHost | undefined;
  let counter = 0;

  const deliver = async (message: IncomingMessage) => {
    if (!host)
      throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
        message: 'Start the bot before sending to the test adapter.',
      });
    const before = delivered.length;
    await host.receive(message);
    return delivered.slice(before).filter((item) => item.chatId === message.chat.platformId);
  };

  const base = (from: TestSender = {}) => {
    counter += 1;
    return {
      platform: name,
      platformMessageId: `in-${counter}`,
      sender: {
        platformId: from.userId ?? 'user-1',
        ...(from.name ? { name: from.name } : {}),
        ...(from.locale ? { locale: from.locale } : {}),
        ...(from.operator ? { isLocalOperator: true } : {}),
      },
      chat: {
        platformId: from.chatId ?? `chat-${from.userId ?? 'user-1'}`,
        type: 'private' as const,
      },
      attachments: [],
      sentAt: new Date(),
    };
  };

  const adapter: Adapter = {
    name,
    capabilities: full,
    async start(runtimeHost) {
      host = runtimeHost;
    },
    async stop() {
      host = undefined;
    },
    async send(chat, message) {
      if (!host)
        throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
          message: 'The test adapter is not running.',
        });
      const ids: string[] = [];
      const parts = splitText(message.text, full.maxTextLength);
      parts.forEach((text, index) => {
        counter += 1;
        const id = `out-${counter}`;
        ids.push(id);
        const last = index === parts.length - 1;
        delivered.push({
          ...message,
          ...(last ? {} : { buttons: undefined, artifacts: undefined }),
          text,
          chatId: chat.platformId,
          platformMessageId: id,
        });
      });
      return { platformMessageIds: ids };
    },
  };

  return {
    adapter,
    delivered,
    say(text, from) {
      const command = parseCommand(text);
      return deliver({ ...base(from), kind: 'message', text, ...(command ? { command } : {}) });
    },
    press(data, from) {
      return deliver({ ...base(from), kind: 'button', text: '', buttonData: data });
    },
    async pay(payment, from) {
      let answer: { approve: boolean; reason?: string } | undefined;
      const replies = await deliver({
        ...base(from),
        kind: 'payment',
        text: '',
        payment: {
          ...payment,
          ...(payment.stage === 'check'
            ? {
                answer: async (approve: boolean, reason?: string) => {
                  answer ??= { approve, ...(reason ? { reason } : {}) };
                },
              }
            : {}),
        },
      });
      return { replies, ...(answer ? { answer } : {}) };
    },
    shareContact(contact, from) {
      const attachment: Attachment = {
        kind: 'contact',
        ...(contact.firstName ? { name: contact.firstName } : {}),
        data: {
          phone: contact.phone,
          ...(contact.firstName ? { firstName: contact.firstName } : {}),
          ...(contact.userId ? { userId: contact.userId } : {}),
        },
      };
      return deliver({ ...base(from), kind: 'message', text: '', attachments: [attachment] });
    },
    sendFile(file, caption = '', from) {
      const attachment: Attachment = {
        kind: file.kind ?? 'document',
        name: file.name,
        ...(file.mimeType ? { mimeType: file.mimeType } : {}),
        size: file.size ?? file.data.byteLength,
        download: async () => new Uint8Array(file.data),
      };
      const command = parseCommand(caption);
      return deliver({
        ...base(from),
        kind: 'message',
        text: caption,
        ...(command ? { command } : {}),
        attachments: [attachment],
      });
    },
  };
}
