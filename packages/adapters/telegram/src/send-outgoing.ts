import { type Artifact, type Button, type OutgoingMessage, splitText } from '@botwire/core';
import { type Api, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import { markdownToTelegramHtml, telegramHtmlToPlain } from './markdown-html';
import { splitTelegramHtml } from './split-html';

/** Telegram's longest message text. */
export const maxTextLength = 4096;
/** Telegram's longest caption of a photo or document. */
export const maxCaptionLength = 1024;
const maxPhotoBytes = 10 * 1024 * 1024;
const photoTypes = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** How {@link sendOutgoing} sends. */
export interface SendOptions {
  api: Api;
  /** Show link previews under messages. Default false: a preview fetch could leak what a link carries. */
  linkPreviews: boolean;
  /** Turns a button's data into at most 64 bytes of `callback_data`. */
  callbackData: (data: string) => Promise<string>;
}

interface TextPart {
  text: string;
  html: boolean;
}

/** Splits a message's text into the parts Telegram takes: Markdown as HTML, plain as is. */
export function textParts(message: OutgoingMessage): TextPart[] {
  if (!message.text.trim()) return [];
  if (message.format === 'markdown') {
    const html = markdownToTelegramHtml(message.text);
    if (html.trim())
      return splitTelegramHtml(html, maxTextLength).map((text) => ({ text, html: true }));
  }
  return splitText(message.text, maxTextLength).map((text) => ({ text, html: false }));
}

async function keyboard(
  buttons: Button[][] | undefined,
  callbackData: SendOptions['callbackData'],
): Promise<InlineKeyboardMarkup | undefined> {
  if (!buttons?.length) return undefined;
  const rows = await Promise.all(
    buttons.map((row) =>
      Promise.all(
        row.map(async (button) =>
          button.url
            ? { text: button.label, url: button.url }
            : {
                text: button.label,
                callback_data: await callbackData(button.data ?? button.label),
              },
        ),
      ),
    ),
  );
  return { inline_keyboard: rows.filter((row) => row.length > 0) };
}

/** Telegram's share-contact button: a reply keyboard that sends the user's own number. */
function contactKeyboard(label: string): ReplyKeyboardMarkup {
  return {
    keyboard: [[{ text: label, request_contact: true }]],
    resize_keyboard: true,
    one_time_keyboard: true,
  };
}

/**
 * Replaces the text and inline buttons of a message sent earlier (its first 4096 characters,
 * as plain text when Telegram rejects the markup). Telegram's "message is not modified" counts as done.
 */
export async function editOutgoing(
  chatId: number | string,
  messageId: number,
  message: OutgoingMessage,
  options: SendOptions,
): Promise<void> {
  const [part] = textParts(message);
  if (!part) return;
  const markup = await keyboard(message.buttons, options.callbackData);
  const extra = {
    link_preview_options: { is_disabled: !options.linkPreviews },
    ...(markup ? { reply_markup: markup } : {}),
  };
  try {
    try {
      await options.api.editMessageText(chatId, messageId, part.text, {
        ...extra,
        ...(part.html ? { parse_mode: 'HTML' as const } : {}),
      });
    } catch (error) {
      if (!part.html || !cannotParse(error)) throw error;
      await options.api.editMessageText(chatId, messageId, telegramHtmlToPlain(part.text), extra);
    }
  } catch (error) {
    if (error instanceof GrammyError && /not modified/i.test(error.description)) return;
    throw error;
  }
}

const cannotParse = (error: unknown) =>
  error instanceof GrammyError &&
  error.error_code === 400 &&
  /parse entities/i.test(error.description);

/**
 * Sends one {@link OutgoingMessage} to a Telegram chat: its text in parts of at most 4096
 * characters (Markdown as Telegram HTML, falling back to plain text if Telegram rejects the
 * markup), buttons as an inline keyboard under the last part, then the voice message (sendVoice),
 * then each artifact as a photo or document with a caption of at most 1024 characters. Returns the ids of the sent messages.
 */
export async function sendOutgoing(
  chatId: number | string,
  message: OutgoingMessage,
  options: SendOptions,
): Promise<string[]> {
  const { api } = options;
  const ids: string[] = [];
  const artifacts = message.artifacts ?? [];
  let parts = textParts(message);
  const markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | undefined = message.requestContact
    ? contactKeyboard(message.requestContact.label)
    : await keyboard(message.buttons, options.callbackData);
  if (parts.length === 0 && artifacts.length === 0 && !message.voice && markup)
    parts = [{ text: '…', html: false }];
  const replyParameters = message.replyTo
    ? { message_id: Number(message.replyTo), allow_sending_without_reply: true }
    : undefined;
  for (const [index, part] of parts.entries()) {
    const first = index === 0;
    const last = index === parts.length - 1;
    const extra = {
      link_preview_options: { is_disabled: !options.linkPreviews },
      ...(first && replyParameters ? { reply_parameters: replyParameters } : {}),
      ...(last && markup && artifacts.length === 0 ? { reply_markup: markup } : {}),
    };
    let sent: { message_id: number };
    try {
      sent = await api.sendMessage(chatId, part.text, {
        ...extra,
        ...(part.html ? { parse_mode: 'HTML' as const } : {}),
      });
    } catch (error) {
      if (!part.html || !cannotParse(error)) throw error;
      sent = await api.sendMessage(chatId, telegramHtmlToPlain(part.text), extra);
    }
    ids.push(String(sent.message_id));
  }
  if (message.voice) {
    // A voice message (OGG/Opus), played in the chat; it takes the buttons when nothing else has them.
    const { voice } = message;
    const sent = await api.sendVoice(chatId, new InputFile(voice.data, 'voice.ogg'), {
      ...(voice.durationSeconds
        ? { duration: Math.max(1, Math.round(voice.durationSeconds)) }
        : {}),
      ...(parts.length === 0 && artifacts.length === 0 && markup ? { reply_markup: markup } : {}),
    });
    ids.push(String(sent.message_id));
  }
  for (const [index, artifact] of artifacts.entries()) {
    const last = index === artifacts.length - 1;
    ids.push(...(await sendArtifact(chatId, artifact, last ? markup : undefined, options)));
  }
  if (message.invoice) {
    const { title, description, payload, currency, amount, label } = message.invoice;
    // Telegram Stars (XTR) take no payment provider token.
    const sent = await api.sendInvoice(chatId, title, description, payload, currency, [
      { label: label ?? title, amount },
    ]);
    ids.push(String(sent.message_id));
  }
  return ids;
}

async function sendArtifact(
  chatId: number | string,
  artifact: Artifact,
  markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | undefined,
  options: SendOptions,
): Promise<string[]> {
  const [caption, ...rest] = artifact.caption ? splitText(artifact.caption, maxCaptionLength) : [];
  const file = new InputFile(artifact.data, artifact.name);
  const extra = {
    ...(caption ? { caption } : {}),
    ...(markup && rest.length === 0 ? { reply_markup: markup } : {}),
  };
  const isPhoto = photoTypes.has(artifact.mimeType) && artifact.data.byteLength <= maxPhotoBytes;
  const sent = isPhoto
    ? await options.api.sendPhoto(chatId, file, extra)
    : await options.api.sendDocument(chatId, file, extra);
  const ids = [String(sent.message_id)];
  for (const [index, text] of rest.entries()) {
    const more = await options.api.sendMessage(chatId, text, {
      link_preview_options: { is_disabled: !options.linkPreviews },
      ...(markup && index === rest.length - 1 ? { reply_markup: markup } : {}),
    });
    ids.push(String(more.message_id));
  }
  return ids;
}
