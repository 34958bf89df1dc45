import { randomBytes } from 'node:crypto';
import {
  channelObject,
  channelTypes,
  everyonePermissions,
  intentBits,
  memberObject,
  mentionedUserIds,
  mentionsEveryone,
  type PeerChannel,
  type PeerMessage,
  type PeerUser,
  snowflake,
} from './discord-objects';
import type { DiscordPeerState, PeerInteraction } from './discord-peer-state';

const joinedAt = new Date(0).toISOString();

/** What a user's message needs: its text, files and the message it replies to. */
export interface UserMessageParts {
  content: string;
  attachments?: { filename: string; contentType?: string; data: Uint8Array | string }[];
  replyTo?: string;
}

/**
 * A user's message as the peer stores it, and its MESSAGE_CREATE payload for a session with
 * given intents: guild messages carry `member`, and without MESSAGE_CONTENT those that do not
 * mention the bot arrive without content, as Discord sends them.
 */
export function userMessageEvent(
  state: DiscordPeerState,
  channel: PeerChannel,
  author: PeerUser,
  input: UserMessageParts,
): { message: PeerMessage; payload: (intents: number) => unknown; intent: number } {
  const mentions = mentionedUserIds(input.content)
    .map((id) => state.users.get(id))
    .filter((each): each is PeerUser => Boolean(each));
  const referenced = input.replyTo ? state.messages.get(input.replyTo) : undefined;
  const message: PeerMessage = {
    id: snowflake(),
    channel_id: channel.id,
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
    author,
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: mentionsEveryone(input.content),
    mentions,
    mention_roles: [],
    attachments: (input.attachments ?? []).map((file) =>
      state.storeFile(
        channel.id,
        file.filename,
        typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data,
        file.contentType,
      ),
    ),
    embeds: [],
    components: [],
    pinned: false,
    type: referenced ? 19 : 0,
    flags: 0,
    ...(referenced
      ? {
          message_reference: {
            type: 0 as const,
            message_id: referenced.id,
            channel_id: channel.id,
            ...(channel.guildId ? { guild_id: channel.guildId } : {}),
          },
          referenced_message: referenced,
        }
      : {}),
  };
  state.messages.set(message.id, message);
  const isDm = channel.type === channelTypes.dm;
  const payload = (intents: number) => {
    const hidden =
      !isDm &&
      (intents & intentBits.messageContent) === 0 &&
      !mentions.some((each) => each.id === state.bot.id);
    return {
      ...message,
      ...(hidden ? { content: '', attachments: [], embeds: [], components: [] } : {}),
      ...(isDm ? {} : { member: memberObject(author, joinedAt, false) }),
      mentions: mentions.map((each) =>
        isDm ? each : { ...each, member: memberObject(each, joinedAt, false) },
      ),
      channel_type: channel.type,
    };
  };
  return { message, payload, intent: isDm ? intentBits.directMessages : intentBits.guildMessages };
}

/** A new interaction (2: application command, 3: component) and the fields every INTERACTION_CREATE has. */
export function interactionEvent(
  state: DiscordPeerState,
  type: 2 | 3,
  channel: PeerChannel,
  sender: PeerUser,
  locale: string | undefined,
): { interaction: PeerInteraction; payload: Record<string, unknown> } {
  const interaction: PeerInteraction = {
    id: snowflake(),
    token: `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`,
    type,
    channelId: channel.id,
    ...(channel.guildId ? { guildId: channel.guildId } : {}),
    userId: sender.id,
    createdAt: Date.now(),
  };
  const payload = {
    id: interaction.id,
    application_id: state.applicationId,
    type,
    token: interaction.token,
    version: 1,
    channel: channelObject(channel, state.users),
    channel_id: channel.id,
    ...(channel.guildId
      ? {
          guild_id: channel.guildId,
          guild: { id: channel.guildId, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: { ...memberObject(sender, joinedAt), permissions: everyonePermissions },
        }
      : { user: sender }),
    app_permissions: everyonePermissions,
    locale: locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': channel.guildId ?? '0' },
    context: channel.guildId ? 0 : 1,
    attachment_size_limit: 10_485_760,
  };
  return { interaction, payload };
}
