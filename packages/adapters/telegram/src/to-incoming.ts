import { type Attachment, type ChatRef, type IncomingMessage, parseCommand } from '@botwire/core';
import type { Chat, Message, Update, User } from 'grammy/types';

/** Makes a lazy `download()` for a Telegram file id. */
export type Downloader = (
  fileId: string,
  knownSize?: number,
) => (signal?: AbortSignal) => Promise<Uint8Array>;

/** What {@link updateToIncoming} needs besides the update. */
export interface IncomingOptions {
  /** The bot's username, to ignore `/command@OtherBot`. */
  botUsername?: string;
  download: Downloader;
  /** The data of a pressed button, when the adapter stored a long one under a short key. */
  buttonData?: string;
  /** Answers a pre-checkout query (a payment about to be made): approve, or decline with a reason. */
  answerPreCheckout?: (queryId: string, approve: boolean, reason?: string) => Promise<void>;
}

/** The key of the queue an update runs in: its chat, so each chat stays in order. */
export function updateQueueKey(update: Update): string {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat;
  if (chat) return String(chat.id);
  if (update.callback_query) return String(update.callback_query.from.id);
  if (update.pre_checkout_query) return String(update.pre_checkout_query.from.id);
  return `update:${update.update_id}`;
}

/**
 * Translates a Telegram update into an {@link IncomingMessage}: messages (text, commands, replies,
 * photos, voice, audio, video, documents, stickers, contacts, locations) and button presses.
 * Returns undefined for updates the bot does not act on (edits, membership changes, commands
 * addressed to another bot).
 */
export function updateToIncoming(
  update: Update,
  options: IncomingOptions,
): IncomingMessage | undefined {
  if (update.message?.successful_payment) return paidToIncoming(update, update.message);
  if (update.message) return messageToIncoming(update, update.message, options);
  if (update.pre_checkout_query) return checkToIncoming(update, options);
  const query = update.callback_query;
  if (query?.data === undefined) return undefined;
  const chatSource = query.message?.chat;
  const chat: ChatRef = chatSource
    ? chatRef(chatSource)
    : { platformId: String(query.from.id), type: 'private' };
  const label = query.message
    ? (query.message as Message).reply_markup?.inline_keyboard
        .flat()
        .find((button) => 'callback_data' in button && button.callback_data === query.data)?.text
    : undefined;
  const pressedOn = query.message as Message | undefined;
  return {
    platform: 'telegram',
    platformMessageId: `callback:${query.id}`,
    sender: sender(query.from),
    chat,
    kind: 'button',
    text: label ?? '',
    buttonData: options.buttonData ?? query.data,
    attachments: [],
    ...(pressedOn?.message_id
      ? {
          replyTo: {
            platformMessageId: String(pressedOn.message_id),
            ...(pressedOn.text ? { text: pressedOn.text } : {}),
          },
        }
      : {}),
    sentAt: new Date(),
    raw: update,
  };
}

function messageToIncoming(
  update: Update,
  message: Message,
  options: IncomingOptions,
): IncomingMessage | undefined {
  const text = message.text ?? message.caption ?? '';
  const addressee = /^\/\w+@(\w+)/.exec(text)?.[1];
  if (
    addressee &&
    options.botUsername &&
    addressee.toLowerCase() !== options.botUsername.toLowerCase()
  )
    return undefined;
  const command = message.text ? parseCommand(text) : undefined;
  const from = message.from;
  const reply = message.reply_to_message;
  const replyText = reply?.text ?? reply?.caption;
  return {
    platform: 'telegram',
    platformMessageId: String(message.message_id),
    sender: from
      ? sender(from)
      : {
          platformId: String(message.sender_chat?.id ?? message.chat.id),
          ...(message.sender_chat && 'title' in message.sender_chat
            ? { name: message.sender_chat.title }
            : {}),
        },
    chat: chatRef(message.chat),
    kind: 'message',
    text,
    ...(command ? { command } : {}),
    attachments: attachmentsOf(message, options.download),
    ...(reply
      ? {
          replyTo: {
            platformMessageId: String(reply.message_id),
            ...(replyText ? { text: replyText } : {}),
          },
        }
      : {}),
    sentAt: new Date(message.date * 1000),
    raw: update,
  };
}

/** A pre-checkout query: the user is about to pay an invoice; the bot approves or declines it. */
function checkToIncoming(update: Update, options: IncomingOptions): IncomingMessage {
  const query = update.pre_checkout_query!;
  const answer = options.answerPreCheckout;
  return {
    platform: 'telegram',
    platformMessageId: `pre-checkout:${query.id}`,
    sender: sender(query.from),
    chat: { platformId: String(query.from.id), type: 'private' },
    kind: 'payment',
    text: '',
    attachments: [],
    payment: {
      stage: 'check',
      payload: query.invoice_payload,
      currency: query.currency,
      amount: query.total_amount,
      ...(answer ? { answer: (approve, reason) => answer(query.id, approve, reason) } : {}),
    },
    sentAt: new Date(),
    raw: update,
  };
}

/** A successful payment: the money arrived; `chargeId` is Telegram's id of the payment. */
function paidToIncoming(update: Update, message: Message): IncomingMessage {
  const paid = message.successful_payment!;
  return {
    platform: 'telegram',
    platformMessageId: String(message.message_id),
    sender: message.from ? sender(message.from) : { platformId: String(message.chat.id) },
    chat: chatRef(message.chat),
    kind: 'payment',
    text: '',
    attachments: [],
    payment: {
      stage: 'paid',
      payload: paid.invoice_payload,
      currency: paid.currency,
      amount: paid.total_amount,
      chargeId: paid.telegram_payment_charge_id,
    },
    sentAt: new Date(message.date * 1000),
    raw: update,
  };
}

function sender(user: User): IncomingMessage['sender'] {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return {
    platformId: String(user.id),
    ...(name ? { name } : {}),
    ...(user.username ? { username: user.username } : {}),
    ...(user.language_code ? { locale: user.language_code } : {}),
  };
}

function chatRef(chat: Chat): ChatRef {
  const title = 'title' in chat ? chat.title : undefined;
  return {
    platformId: String(chat.id),
    type: chat.type === 'private' ? 'private' : 'group',
    ...(title ? { title } : {}),
  };
}

interface FileLike {
  file_id: string;
  file_size?: number;
}

function fileAttachment(
  kind: Attachment['kind'],
  file: FileLike,
  download: Downloader,
  extra: Partial<Attachment> = {},
): Attachment {
  return {
    kind,
    platformId: file.file_id,
    ...(file.file_size !== undefined ? { size: file.file_size } : {}),
    ...extra,
    download: download(file.file_id, file.file_size),
  };
}

function attachmentsOf(message: Message, download: Downloader): Attachment[] {
  const attachments: Attachment[] = [];
  const photo = message.photo?.at(-1);
  if (photo) attachments.push(fileAttachment('photo', photo, download, { mimeType: 'image/jpeg' }));
  if (message.voice) {
    const { voice } = message;
    attachments.push(
      fileAttachment('voice', voice, download, {
        mimeType: voice.mime_type ?? 'audio/ogg',
        data: { duration: voice.duration },
      }),
    );
  }
  if (message.audio) {
    const { audio } = message;
    attachments.push(
      fileAttachment('audio', audio, download, {
        ...(audio.file_name ? { name: audio.file_name } : {}),
        ...(audio.mime_type ? { mimeType: audio.mime_type } : {}),
        data: {
          duration: audio.duration,
          ...(audio.title ? { title: audio.title } : {}),
          ...(audio.performer ? { performer: audio.performer } : {}),
        },
      }),
    );
  }
  const video = message.video ?? message.video_note;
  if (video) attachments.push(fileAttachment('video', video, download, { mimeType: 'video/mp4' }));
  if (message.document) {
    const { document } = message;
    attachments.push(
      fileAttachment('document', document, download, {
        ...(document.file_name ? { name: document.file_name } : {}),
        ...(document.mime_type ? { mimeType: document.mime_type } : {}),
      }),
    );
  }
  if (message.sticker) attachments.push(fileAttachment('sticker', message.sticker, download));
  if (message.contact) {
    const { contact } = message;
    attachments.push({
      kind: 'contact',
      ...(contact.first_name
        ? { name: [contact.first_name, contact.last_name].filter(Boolean).join(' ') }
        : {}),
      data: {
        phone: contact.phone_number,
        firstName: contact.first_name,
        ...(contact.last_name ? { lastName: contact.last_name } : {}),
        ...(contact.user_id ? { userId: String(contact.user_id) } : {}),
      },
    });
  }
  if (message.location) {
    const { latitude, longitude } = message.location;
    attachments.push({ kind: 'location', data: { latitude, longitude } });
  }
  return attachments;
}
