/** Discord API objects as the peer builds them: snowflakes, users, channels, guilds, messages. */

/** The Discord epoch (2015-01-01T00:00:00Z) that snowflake timestamps count from. */
const discordEpoch = 1_420_070_400_000n;
let increment = 0n;

/** A new snowflake for `at` (ms): timestamp, worker 1, process 0, a 12-bit increment. */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - discordEpoch) << 22n) | (1n << 17n) | increment).toString();
}

/** Gateway intents the peer understands (discord-api-types `GatewayIntentBits`). */
export const intentBits = {
  guilds: 1 << 0,
  guildMessages: 1 << 9,
  directMessages: 1 << 12,
  messageContent: 1 << 15,
} as const;

/** Every intent the v10 API defines: bits 0–16, 20, 21, 24 and 25. */
export const allIntents = 0x1_ffff | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

/** Privileged intents: GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT. */
export const privilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

/** Channel types used here (discord-api-types `ChannelType`). */
export const channelTypes = { guildText: 0, dm: 1 } as const;

/** `@everyone` in the peer's guilds may view, send, embed, attach and read history. */
export const everyonePermissions = String(1024 + 2048 + 16_384 + 32_768 + 65_536);

/** A Discord user object. */
export interface PeerUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
  public_flags: number;
  flags: number;
}

export function userObject(id: string, username: string, bot = false): PeerUser {
  return {
    id,
    username,
    global_name: bot ? null : username[0]!.toUpperCase() + username.slice(1),
    discriminator: '0',
    avatar: null,
    ...(bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
  };
}

/** A text channel the peer knows: a DM with one user, or a guild text channel. */
export interface PeerChannel {
  id: string;
  type: 0 | 1;
  name?: string;
  guildId?: string;
  /** For DMs: the other user. */
  recipientId?: string;
}

export function channelObject(channel: PeerChannel, users: Map<string, PeerUser>) {
  if (channel.type === channelTypes.dm) {
    const recipient = users.get(channel.recipientId ?? '');
    return {
      id: channel.id,
      type: channel.type,
      last_message_id: null,
      flags: 0,
      recipients: recipient ? [recipient] : [],
    };
  }
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** A guild the peer's bot is in. */
export interface PeerGuild {
  id: string;
  name: string;
  channelIds: string[];
}

/** The full guild object of a GUILD_CREATE dispatch. */
export function guildCreateObject(
  guild: PeerGuild,
  bot: PeerUser,
  channels: Map<string, PeerChannel>,
  users: Map<string, PeerUser>,
  joinedAt: string,
) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: [...users.values()].find((user) => !user.bot)?.id ?? bot.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: everyonePermissions,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: users.size,
    members: [memberObject(bot, joinedAt)],
    channels: guild.channelIds.map((id) => {
      const { guild_id: _guildId, ...rest } = channelObject(channels.get(id)!, users) as {
        guild_id?: string;
      };
      return rest;
    }),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A guild member object; `withUser` false for MESSAGE_CREATE's `member` (the author is beside it). */
export function memberObject(user: PeerUser, joinedAt: string, withUser = true) {
  return {
    ...(withUser ? { user } : {}),
    nick: null,
    avatar: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
  };
}

/** An attachment of a message; its `url` points at the peer's CDN route. */
export interface PeerAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
  flags?: number;
}

/** A message object as the REST API returns it and MESSAGE_CREATE carries it. */
export interface PeerMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: PeerUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: PeerUser[];
  mention_roles: string[];
  attachments: PeerAttachment[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
  webhook_id?: string;
  application_id?: string;
  message_reference?: { type: 0; message_id: string; channel_id: string; guild_id?: string };
  referenced_message?: PeerMessage | null;
  nonce?: string;
}

/** The users a text mentions with `<@id>` or `<@!id>`, in order, without repeats. */
export function mentionedUserIds(text: string): string[] {
  const ids = [...text.matchAll(/<@!?(\d{1,20})>/g)].map((match) => match[1]!);
  return [...new Set(ids)];
}

/** True when a text mentions `@everyone` or `@here`. */
export function mentionsEveryone(text: string): boolean {
  return /@(everyone|here)\b/.test(text);
}

/** Discord's JSON error body. */
export function errorBody(code: number, message: string, errors?: unknown) {
  return { message, code, ...(errors ? { errors } : {}) };
}

/** An `Invalid Form Body` (50035) error for one field. */
export function formError(path: string[], code: string, message: string) {
  const errors: Record<string, unknown> = {};
  let node = errors;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) node[key] = { _errors: [{ code, message }] };
    else {
      node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return errorBody(50_035, 'Invalid Form Body', errors);
}
