import { type BodyProblem, checkComponents } from './discord-checks';
import {
  channelObject,
  channelTypes,
  formError,
  mentionedUserIds,
  mentionsEveryone,
  type PeerAttachment,
  type PeerChannel,
  type PeerGuild,
  type PeerMessage,
  type PeerUser,
  snowflake,
} from './discord-objects';

/** One scripted REST answer: the next request that matches gets it instead of the real answer. */
export interface DiscordScriptEntry {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** The route after `/api/v10`, with `:name` for a path segment: `/channels/:id/messages`. */
  route: string;
  /** The status to answer with, e.g. 429 or 500. */
  status: number;
  /** For 429: seconds to wait. The body's `retry_after` carries it as is; `Retry-After` rounded up, as Discord does. */
  retryAfter?: number;
  /** For 429: a global rate limit (`X-RateLimit-Global`, scope `global`). */
  global?: boolean;
  /** Another body than the default error. */
  body?: unknown;
}

/** A REST request the peer received. */
export interface RecordedDiscordRequest {
  method: string;
  /** The path after `/api/v10`, or the whole path for other routes (the CDN). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, or the parsed `payload_json` of a multipart body. */
  body?: unknown;
  /** Files of a multipart body. */
  files: { field: string; name: string; contentType: string; size: number }[];
  /** The status the peer answered with. */
  status?: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A message the bot created, with how it was sent and what it asked for. */
export interface BotMessage {
  message: PeerMessage;
  /** `channel` (POST /channels/:id/messages), `interaction` (a callback), `original` (the deferred reply), `follow-up`. */
  via: 'channel' | 'interaction' | 'original' | 'follow-up';
  /** The `allowed_mentions` the request carried, as sent (undefined when absent). */
  allowedMentions: unknown;
  /** The files uploaded with it. */
  files: { name: string; contentType: string; size: number; data: Uint8Array }[];
  /** Still the "thinking…" placeholder of a deferred interaction. */
  loading: boolean;
  deleted: boolean;
}

/** An interaction the peer dispatched, and what the bot did with it. */
export interface PeerInteraction {
  id: string;
  token: string;
  type: 2 | 3;
  channelId: string;
  guildId?: string;
  userId: string;
  createdAt: number;
  /** The callback type the bot answered with (4, 5, 6, 7), once it did. */
  callbackType?: number;
  /** How long after the dispatch the callback came, in ms. */
  callbackAfterMs?: number;
  /** The message of a reply (callback 4) or of a deferred reply (5). */
  original?: BotMessage;
  /** For components: the message the button was under. */
  messageId?: string;
  deleted?: boolean;
}

const contentLimit = 2000;

/** The peer's world: users, channels, guilds, messages, interactions, commands and stored files. */
export class DiscordPeerState {
  url = '';
  readonly users = new Map<string, PeerUser>();
  readonly channels = new Map<string, PeerChannel>();
  readonly guilds: PeerGuild[] = [];
  readonly messages = new Map<string, PeerMessage>();
  readonly sent: BotMessage[] = [];
  readonly files = new Map<string, { data: Uint8Array; contentType: string }>();
  readonly interactions = new Map<string, PeerInteraction>();
  readonly requests: RecordedDiscordRequest[] = [];
  readonly unknownRoutes: string[] = [];
  readonly script: DiscordScriptEntry[] = [];
  commands: Record<string, unknown>[] = [];
  readonly typing: string[] = [];
  /** Request counts per rate-limit bucket, for the X-RateLimit headers. */
  readonly rateWindows = new Map<string, { resetAt: number; used: number }>();

  constructor(
    readonly token: string,
    readonly bot: PeerUser,
    readonly applicationId: string,
  ) {
    this.users.set(bot.id, bot);
  }

  /** Stores bytes and returns the attachment object that points at them on the peer's CDN route. */
  storeFile(
    channelId: string,
    name: string,
    data: Uint8Array,
    contentType?: string,
    description?: string,
  ): PeerAttachment {
    const id = snowflake();
    const filename = name.replace(/[^\w.-]+/g, '_') || 'file';
    const path = `/attachments/${channelId}/${id}/${filename}`;
    const type = contentType || 'application/octet-stream';
    this.files.set(path, { data, contentType: type });
    return {
      id,
      filename,
      size: data.byteLength,
      url: `${this.url}${path}`,
      proxy_url: `${this.url}${path}`,
      content_type: type,
      ...(description ? { description } : {}),
    };
  }

  /** The user a message from the bot is addressed to in a DM, and the channel object. */
  channelPayload(channelId: string) {
    const channel = this.channels.get(channelId);
    return channel ? channelObject(channel, this.users) : undefined;
  }

  /**
   * Checks a message body the bot sent (create or edit) the way Discord does: content length,
   * emptiness, components and allowed_mentions. Returns the problem, or undefined.
   */
  checkMessageBody(
    body: Record<string, unknown>,
    fileCount: number,
    editing = false,
  ): BodyProblem | undefined {
    const content = body.content;
    if (content !== undefined && content !== null && typeof content !== 'string')
      return {
        status: 400,
        body: formError(['content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.'),
      };
    if (typeof content === 'string' && content.length > contentLimit)
      return {
        status: 400,
        body: formError(
          ['content'],
          'BASE_TYPE_MAX_LENGTH',
          `Must be ${contentLimit} or fewer in length.`,
        ),
      };
    const components = Array.isArray(body.components) ? body.components : [];
    const problem = checkComponents(components);
    if (problem) return problem;
    const allowed = body.allowed_mentions as
      | { parse?: unknown; users?: unknown; roles?: unknown }
      | undefined;
    if (allowed && Array.isArray(allowed.parse)) {
      if (allowed.parse.includes('users') && Array.isArray(allowed.users) && allowed.users.length)
        return {
          status: 400,
          body: formError(
            ['allowed_mentions'],
            'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
            'parse:["users"] and users: [ids] are mutually exclusive.',
          ),
        };
    }
    const empty =
      !(typeof content === 'string' && content.length > 0) &&
      fileCount === 0 &&
      components.length === 0 &&
      !(Array.isArray(body.embeds) && body.embeds.length) &&
      !(Array.isArray(body.sticker_ids) && body.sticker_ids.length);
    if (empty && !editing)
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50_006 } };
    return undefined;
  }

  /** The mentions a bot message really makes, given its `allowed_mentions` (all kinds when absent). */
  resolveMentions(content: string, allowed: unknown): { everyone: boolean; users: PeerUser[] } {
    const rules = (allowed ?? { parse: ['users', 'roles', 'everyone'] }) as {
      parse?: string[];
      users?: string[];
    };
    const parse = Array.isArray(rules.parse) ? rules.parse : [];
    const listed = Array.isArray(rules.users) ? rules.users : [];
    const users = mentionedUserIds(content)
      .filter((id) => parse.includes('users') || listed.includes(id))
      .map((id) => this.users.get(id))
      .filter((user): user is PeerUser => Boolean(user));
    return { everyone: parse.includes('everyone') && mentionsEveryone(content), users };
  }

  /** Creates a message from the bot in a channel and records it. */
  createBotMessage(
    channelId: string,
    body: Record<string, unknown>,
    files: { name: string; contentType: string; data: Uint8Array }[],
    via: BotMessage['via'],
    options: { loading?: boolean } = {},
  ): BotMessage {
    const channel = this.channels.get(channelId);
    const content = typeof body.content === 'string' ? body.content : '';
    const mentions = this.resolveMentions(content, body.allowed_mentions);
    const described = Array.isArray(body.attachments)
      ? (body.attachments as { id?: string | number; description?: string }[])
      : [];
    const attachments = files.map((file, index) =>
      this.storeFile(
        channelId,
        file.name,
        file.data,
        file.contentType,
        described.find((entry) => String(entry.id) === String(index))?.description,
      ),
    );
    const reference = body.message_reference as { message_id?: string } | undefined;
    const referenced = reference?.message_id ? this.messages.get(reference.message_id) : undefined;
    const message: PeerMessage = {
      id: snowflake(),
      channel_id: channelId,
      ...(channel?.guildId ? { guild_id: channel.guildId } : {}),
      author: this.bot,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: [],
      attachments,
      embeds: [],
      components: Array.isArray(body.components) ? body.components : [],
      pinned: false,
      type: referenced ? 19 : via === 'channel' ? 0 : 20,
      flags: options.loading ? 128 : 0,
      ...(via !== 'channel'
        ? { webhook_id: this.applicationId, application_id: this.applicationId }
        : {}),
      ...(referenced
        ? {
            message_reference: {
              type: 0 as const,
              message_id: referenced.id,
              channel_id: channelId,
              ...(channel?.guildId ? { guild_id: channel.guildId } : {}),
            },
            referenced_message: referenced,
          }
        : {}),
      ...(typeof body.nonce === 'string' ? { nonce: body.nonce } : {}),
    };
    this.messages.set(message.id, message);
    const record: BotMessage = {
      message,
      via,
      allowedMentions: body.allowed_mentions,
      files: files.map((file) => ({ ...file, size: file.data.byteLength })),
      loading: Boolean(options.loading),
      deleted: false,
    };
    this.sent.push(record);
    return record;
  }

  /** Applies an edit (PATCH) to a bot message. */
  editBotMessage(
    record: BotMessage,
    body: Record<string, unknown>,
    files: { name: string; contentType: string; data: Uint8Array }[],
  ): void {
    const { message } = record;
    if (typeof body.content === 'string') {
      message.content = body.content;
      const mentions = this.resolveMentions(body.content, body.allowed_mentions);
      message.mention_everyone = mentions.everyone;
      message.mentions = mentions.users;
    }
    if (Array.isArray(body.components)) message.components = body.components;
    if (files.length) {
      message.attachments = files.map((file) =>
        this.storeFile(message.channel_id, file.name, file.data, file.contentType),
      );
      record.files = files.map((file) => ({ ...file, size: file.data.byteLength }));
    }
    if ('allowed_mentions' in body) record.allowedMentions = body.allowed_mentions;
    if (!record.loading) message.edited_timestamp = new Date().toISOString();
    record.loading = false;
    message.flags &= ~128;
  }

  /** Adds a text channel to a guild, or a DM channel with a user. */
  addChannel(channel: PeerChannel): void {
    this.channels.set(channel.id, channel);
    if (channel.guildId)
      this.guilds.find((guild) => guild.id === channel.guildId)?.channelIds.push(channel.id);
  }

  isDm(channelId: string): boolean {
    return this.channels.get(channelId)?.type === channelTypes.dm;
  }
}
