import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordGateway, type GatewayLog } from './discord-gateway';
import {
  channelTypes,
  type PeerMessage,
  type PeerUser,
  snowflake,
  userObject,
} from './discord-objects';
import {
  type BotMessage,
  DiscordPeerState,
  type DiscordScriptEntry,
  type PeerInteraction,
  type RecordedDiscordRequest,
} from './discord-peer-state';
import { handleDiscordRequest } from './discord-rest';
import { interactionEvent, userMessageEvent } from './discord-user-events';

/** Options for {@link startDiscordPeer}. */
export interface DiscordPeerOptions {
  /** The bot token the peer accepts (REST `Authorization: Bot …` and IDENTIFY). */
  token?: string;
  /** The `heartbeat_interval` HELLO announces, in ms. Default: Discord's 41250; tests use less. */
  heartbeatIntervalMs?: number;
  /** Whether the privileged intents (Message Content, ...) are switched on for the bot. Default: true. */
  privilegedIntents?: boolean;
  /** Scripted REST failures (429s, 500s), taken by the first request that matches. */
  script?: DiscordScriptEntry[];
}

/** A user's message for {@link DiscordPeer.userSends}. */
export interface UserMessageInput {
  /** A DM or guild text channel. Default: the default user's DM. */
  channelId?: string;
  /** Default: the DM's user, or the default user in guilds. */
  userId?: string;
  content: string;
  attachments?: { filename: string; contentType?: string; data: Uint8Array | string }[];
  /** The id of the message this one replies to. */
  replyTo?: string;
}

/** A slash command use for {@link DiscordPeer.useCommand}. */
export interface CommandUseInput {
  name: string;
  /** Option values by name (string options). */
  options?: Record<string, string>;
  channelId?: string;
  userId?: string;
  /** The user's client language. Default: `en-US`. */
  locale?: string;
}

/** A button press for {@link DiscordPeer.pressButton}: the last bot message in the channel with this custom_id. */
export interface ButtonPressInput {
  customId: string;
  channelId?: string;
  userId?: string;
  locale?: string;
}

/** A running Discord peer. */
export interface DiscordPeer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `<url>/api`: the `rest.api` option of discord.js (DISCORD_API_URL). */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly bot: PeerUser;
  readonly applicationId: string;
  /** The default user, with a DM channel and a seat in the guild. */
  readonly user: PeerUser;
  readonly dmChannelId: string;
  readonly guildId: string;
  /** The guild's text channels: `general` and `random` to begin with. */
  readonly guildChannels: Record<string, string>;
  /** Every REST request, in order. */
  readonly requests: RecordedDiscordRequest[];
  /** Every message the bot created, in order. */
  readonly sent: BotMessage[];
  /** Interactions dispatched, by token. */
  readonly interactions: Map<string, PeerInteraction>;
  /** The application commands of the last bulk overwrite. */
  readonly commands: Record<string, unknown>[];
  /** Channels the bot triggered the typing indicator in, one entry per request. */
  readonly typing: string[];
  /** `METHOD /path` of requests no route answered. */
  readonly unknownRoutes: string[];
  readonly gateway: GatewayLog;
  /** Adds a user (with a snowflake `id` of your choosing, or a new one). */
  addUser(username: string, id?: string): PeerUser;
  /** Opens (or returns) the DM channel of a user. */
  openDm(userId: string, channelId?: string): string;
  /** Adds a text channel to the guild (before the bot connects: it learns channels from GUILD_CREATE). */
  addGuildChannel(name: string): string;
  /** The visible bot messages in a channel, in order (deleted and "thinking…" placeholders left out). */
  messagesIn(channelId: string): BotMessage[];
  /** Their texts. */
  textsIn(channelId: string): string[];
  /** Dispatches MESSAGE_CREATE for a user's message; resolves with the message. */
  userSends(input: UserMessageInput): Promise<PeerMessage>;
  /** Dispatches INTERACTION_CREATE for a registered slash command. */
  useCommand(input: CommandUseInput): Promise<PeerInteraction>;
  /** Dispatches INTERACTION_CREATE for a button under the bot's last message that has it. */
  pressButton(input: ButtonPressInput): Promise<PeerInteraction>;
  /** Appends scripted REST failures. */
  push(...entries: DiscordScriptEntry[]): void;
  /** Resolves once a client has identified and received READY. */
  waitForReady(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a local Discord on 127.0.0.1: the REST API v10 routes discord.js calls and the
 * WebSocket gateway (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME, MESSAGE_CREATE
 * and INTERACTION_CREATE dispatches), with one guild, a user and their DM. It checks what the
 * bot sends as Discord does (2000 characters, components, allowed_mentions, the 3-second
 * interaction deadline), records every request, and fails requests when scripted (429 with
 * `retry_after` and `X-RateLimit-*` headers).
 *
 * @example
 * const peer = await startDiscordPeer({ heartbeatIntervalMs: 500 });
 * const adapter = discordAdapter({ token: peer.token, apiUrl: peer.apiUrl });
 * await peer.userSends({ content: 'hello' });
 * expect(peer.textsIn(peer.dmChannelId)).toEqual([...]);
 */
export async function startDiscordPeer(options: DiscordPeerOptions = {}): Promise<DiscordPeer> {
  const token = options.token ?? `peer.${randomBytes(12).toString('base64url')}`;
  const applicationId = snowflake();
  const state = new DiscordPeerState(
    token,
    userObject(applicationId, 'botwire', true),
    applicationId,
  );
  state.script.push(...(options.script ?? []));
  const gateway = new DiscordGateway(state, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    privilegedIntentsEnabled: options.privilegedIntents ?? true,
  });
  const server = createServer((request, response) => {
    handleDiscordRequest(state, gateway.url, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: String(error), code: 0 }));
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://peer').pathname === '/gateway')
      gateway.upgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const addUser = (username: string, id = snowflake()): PeerUser => {
    const user = userObject(id, username);
    state.users.set(id, user);
    return user;
  };
  const openDm = (userId: string, channelId?: string): string => {
    const existing = [...state.channels.values()].find(
      (channel) => channel.type === channelTypes.dm && channel.recipientId === userId,
    );
    if (existing) return existing.id;
    const id = channelId ?? snowflake();
    state.addChannel({ id, type: channelTypes.dm, recipientId: userId });
    return id;
  };
  const guildId = snowflake();
  state.guilds.push({ id: guildId, name: 'Botwire Lab', channelIds: [] });
  const guildChannels: Record<string, string> = {};
  const addGuildChannel = (name: string): string => {
    const id = snowflake();
    state.addChannel({ id, type: channelTypes.guildText, name, guildId });
    guildChannels[name] = id;
    return id;
  };
  addGuildChannel('general');
  addGuildChannel('random');
  const user = addUser('ann');
  const dmChannelId = openDm(user.id);

  const waitForReady = async (timeoutMs = 5000) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`No Discord client identified on the peer within ${timeoutMs} ms.`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([gateway.whenReady(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const channelOf = (channelId: string | undefined) => {
    const channel = state.channels.get(channelId ?? dmChannelId);
    if (!channel) throw new Error(`The peer has no channel ${channelId}.`);
    return channel;
  };
  const senderOf = (channelId: string, userId: string | undefined): PeerUser => {
    const channel = channelOf(channelId);
    const id = userId ?? channel.recipientId ?? user.id;
    const sender = state.users.get(id);
    if (!sender) throw new Error(`The peer has no user ${id}.`);
    return sender;
  };
  const userSends = async (input: UserMessageInput): Promise<PeerMessage> => {
    await waitForReady();
    const channel = channelOf(input.channelId);
    const event = userMessageEvent(state, channel, senderOf(channel.id, input.userId), input);
    gateway.dispatch('MESSAGE_CREATE', event.payload, event.intent);
    return event.message;
  };

  const interactionBase = (
    type: 2 | 3,
    channelId: string | undefined,
    userId: string | undefined,
    locale: string | undefined,
  ) => {
    const channel = channelOf(channelId);
    return interactionEvent(state, type, channel, senderOf(channel.id, userId), locale);
  };

  const useCommand = async (input: CommandUseInput): Promise<PeerInteraction> => {
    await waitForReady();
    const command = state.commands.find((each) => each.name === input.name);
    if (!command) throw new Error(`The bot has not registered the command /${input.name}.`);
    const { interaction, payload } = interactionBase(
      2,
      input.channelId,
      input.userId,
      input.locale,
    );
    state.interactions.set(interaction.token, interaction);
    gateway.dispatch('INTERACTION_CREATE', {
      ...payload,
      data: {
        id: command.id,
        name: command.name,
        type: 1,
        options: Object.entries(input.options ?? {}).map(([name, value]) => ({
          name,
          type: 3,
          value,
        })),
      },
    });
    return interaction;
  };

  const pressButton = async (input: ButtonPressInput): Promise<PeerInteraction> => {
    await waitForReady();
    const channelId = channelOf(input.channelId).id;
    const hasButton = (components: unknown[]) =>
      components.some((row) =>
        ((row as { components?: { custom_id?: string }[] }).components ?? []).some(
          (button) => button.custom_id === input.customId,
        ),
      );
    const under = [...state.sent]
      .reverse()
      .find(
        (record) =>
          !record.deleted &&
          record.message.channel_id === channelId &&
          hasButton(record.message.components),
      );
    if (!under)
      throw new Error(
        `No bot message in ${channelId} has a button with custom_id ${input.customId}.`,
      );
    const { interaction, payload } = interactionBase(3, channelId, input.userId, input.locale);
    interaction.messageId = under.message.id;
    state.interactions.set(interaction.token, interaction);
    gateway.dispatch('INTERACTION_CREATE', {
      ...payload,
      message: under.message,
      data: { custom_id: input.customId, component_type: 2 },
    });
    return interaction;
  };

  const visible = (channelId: string) =>
    state.sent.filter(
      (record) => record.message.channel_id === channelId && !record.deleted && !record.loading,
    );

  return {
    url: state.url,
    apiUrl: `${state.url}/api`,
    get gatewayUrl() {
      return gateway.url;
    },
    token,
    bot: state.bot,
    applicationId,
    user,
    dmChannelId,
    guildId,
    guildChannels,
    requests: state.requests,
    sent: state.sent,
    interactions: state.interactions,
    get commands() {
      return state.commands;
    },
    typing: state.typing,
    unknownRoutes: state.unknownRoutes,
    gateway: gateway.log,
    addUser: (username, id) => addUser(username, id),
    openDm,
    addGuildChannel,
    messagesIn: visible,
    textsIn: (channelId) => visible(channelId).map((record) => record.message.content),
    userSends,
    useCommand,
    pressButton,
    push: (...entries) => state.script.push(...entries),
    waitForReady,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
