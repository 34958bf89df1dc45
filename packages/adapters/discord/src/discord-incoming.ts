import {
  type Attachment,
  BotwireError,
  type ChatRef,
  type IncomingMessage,
  parseCommand,
  type Sender,
} from '@botwire/core';
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  CommandInteractionOption,
  Attachment as DiscordAttachment,
  Message,
  User,
} from 'discord.js';

/** Message flag of a voice message (discord-api-types `MessageFlags.IsVoiceMessage`). */
const voiceMessageFlag = 1 << 13;

/** Where a message was sent: a DM is private, a guild channel a group titled `Guild #channel`. */
function chatOf(
  channelId: string,
  inGuild: boolean,
  channel: { name?: string | null } | null | undefined,
  guildName: string | undefined,
): ChatRef {
  if (!inGuild) return { platformId: channelId, type: 'private' };
  const name = channel?.name ? `#${channel.name}` : undefined;
  const title = [guildName, name].filter(Boolean).join(' ');
  return { platformId: channelId, type: 'group', ...(title ? { title } : {}) };
}

function senderOf(user: User, displayName: string | undefined, locale?: string): Sender {
  return {
    platformId: user.id,
    name: displayName ?? user.globalName ?? user.username,
    username: user.username,
    ...(locale ? { locale } : {}),
  };
}

function attachmentKind(attachment: DiscordAttachment, voice: boolean): Attachment['kind'] {
  const type = attachment.contentType ?? '';
  if (voice && type.startsWith('audio/')) return 'voice';
  if (type.startsWith('image/')) return 'photo';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

/** Reads a response body, failing once it passes `limit` bytes. */
async function readLimited(response: Response, limit: number, name: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new BotwireError('BOTWIRE_ADAPTER_FAILED', {
      message: `The file ${name} is larger than ${limit} bytes, the Discord adapter's download limit.`,
      hint: 'Raise maxDownloadBytes in the adapter options to accept larger files.',
    });
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A Discord attachment as a Botwire attachment whose bytes are fetched from the CDN on demand. */
export function toAttachment(
  attachment: DiscordAttachment,
  voice: boolean,
  maxBytes: number,
): Attachment {
  const name = attachment.name;
  return {
    kind: attachmentKind(attachment, voice),
    platformId: attachment.id,
    name,
    ...(attachment.contentType ? { mimeType: attachment.contentType } : {}),
    size: attachment.size,
    download: async (signal) => {
      if (attachment.size > maxBytes) {
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: `The file ${name} is ${attachment.size} bytes; the Discord adapter downloads at most ${maxBytes}.`,
          hint: 'Raise maxDownloadBytes in the adapter options to accept larger files.',
        });
      }
      const response = await fetch(attachment.url, signal ? { signal } : {});
      if (!response.ok) {
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: `Discord's CDN answered ${response.status} for the file ${name}.`,
        });
      }
      return readLimited(response, maxBytes, name);
    },
  };
}

/** Removes mentions of the bot (`<@id>`, `<@!id>`) from a text. */
export function stripBotMention(text: string, botId: string): string {
  return text
    .replace(new RegExp(`<@!?${botId}>[,:]?`, 'g'), ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** A Discord message as an IncomingMessage; `text` is the content without the bot's mention. */
export function messageToIncoming(
  message: Message,
  botId: string,
  maxBytes: number,
): IncomingMessage {
  const inGuild = message.inGuild();
  const text = stripBotMention(message.content, botId);
  const command = parseCommand(text);
  const voice = message.flags.has(voiceMessageFlag);
  const referenceId = message.reference?.messageId;
  const referenced = referenceId ? message.channel.messages.cache.get(referenceId) : undefined;
  return {
    platform: 'discord',
    platformMessageId: message.id,
    sender: senderOf(message.author, message.member?.displayName),
    chat: chatOf(message.channelId, inGuild, inGuild ? message.channel : null, message.guild?.name),
    kind: 'message',
    text,
    ...(command ? { command } : {}),
    attachments: [...message.attachments.values()].map((attachment) =>
      toAttachment(attachment, voice, maxBytes),
    ),
    ...(referenceId
      ? {
          replyTo: {
            platformMessageId: referenceId,
            ...(referenced?.content ? { text: referenced.content } : {}),
          },
        }
      : {}),
    sentAt: message.createdAt,
    raw: message,
  };
}

/** The values of a slash command's options as one argument text (subcommands by name). */
export function optionsText(options: readonly CommandInteractionOption[]): string {
  return options
    .flatMap((option): string[] => {
      if (option.options) return [option.name, optionsText(option.options)];
      if (option.attachment) return [option.attachment.url];
      return option.value === undefined || option.value === null ? [] : [String(option.value)];
    })
    .filter((part) => part.length > 0)
    .join(' ')
    .trim();
}

/** Who sent an interaction and where: the sender (with their server nickname) and the chat. */
function interactionOrigin(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
): Pick<IncomingMessage, 'sender' | 'chat'> {
  const inGuild = interaction.inGuild();
  const nickname =
    inGuild && interaction.member && 'displayName' in interaction.member
      ? interaction.member.displayName
      : undefined;
  return {
    sender: senderOf(interaction.user, nickname, interaction.locale),
    chat: chatOf(
      interaction.channelId,
      inGuild,
      inGuild ? interaction.channel : null,
      interaction.guild?.name,
    ),
  };
}

/** A slash command as an IncomingMessage with `command` and a `/name argument` text. */
export function commandToIncoming(interaction: ChatInputCommandInteraction): IncomingMessage {
  const name = interaction.commandName.toLowerCase();
  const argument = optionsText(interaction.options.data);
  const _inGuild = interaction.inGuild();
  return {
    platform: 'discord',
    platformMessageId: interaction.id,
    ...interactionOrigin(interaction),
    kind: 'message',
    text: argument ? `/${name} ${argument}` : `/${name}`,
    command: { name, argument },
    attachments: [],
    sentAt: interaction.createdAt,
    raw: interaction,
  };
}

/** A button press as a `button` IncomingMessage; `text` is the button's label when known. */
export function buttonToIncoming(interaction: ButtonInteraction, data: string): IncomingMessage {
  const _inGuild = interaction.inGuild();
  const component = interaction.component as { label?: string | null } | undefined;
  return {
    platform: 'discord',
    platformMessageId: interaction.id,
    ...interactionOrigin(interaction),
    kind: 'button',
    text: component?.label ?? '',
    buttonData: data,
    attachments: [],
    ...(interaction.message
      ? {
          replyTo: {
            platformMessageId: interaction.message.id,
            ...(interaction.message.content ? { text: interaction.message.content } : {}),
          },
        }
      : {}),
    sentAt: interaction.createdAt,
    raw: interaction,
  };
}
