import {
  type Adapter,
  type AdapterCapabilities,
  type AdapterHost,
  type Artifact,
  BotwireError,
  type ChatRef,
  isBotwireError,
  type OutgoingMessage,
  type SentMessage,
} from '@botwire/core';
import type {
  BaseMessageOptions,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Client,
  Interaction,
  Message,
  SendableChannels,
} from 'discord.js';
import { registerCommands } from './discord-commands';
import { buttonToIncoming, commandToIncoming, messageToIncoming } from './discord-incoming';
import {
  type ActionRow,
  ButtonDataAliases,
  buttonsToComponents,
  discordTextLimit,
  splitDiscordText,
} from './discord-text';

/** Options for {@link discordAdapter}. */
export interface DiscordAdapterOptions {
  /** The bot token. Default: `DISCORD_BOT_TOKEN`. */
  token?: string;
  /** The REST API base, such as `http://127.0.0.1:8080/api` for a local peer. Default: `DISCORD_API_URL`, else Discord's. */
  apiUrl?: string;
  /** Guild channels (ids or names) where the bot answers every message; elsewhere in guilds only when mentioned. */
  channels?: string[];
  /** Ask for the privileged Message Content intent (switch it on in the Developer Portal). Default: true. */
  messageContent?: boolean;
  /** Register the bot's commands as slash commands when it connects. Default: true. */
  registerCommands?: boolean;
  /** The largest attachment a handler may download, in bytes. Default: 25 MiB. */
  maxDownloadBytes?: number;
  /** How long to wait for the gateway to be ready, in ms. Default: 30000. */
  readyTimeoutMs?: number;
  /** Where DISCORD_BOT_TOKEN and DISCORD_API_URL are read from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const capabilities: AdapterCapabilities = {
  buttons: true,
  markdown: true,
  files: true,
  maxTextLength: discordTextLimit,
  typing: true,
};

/** No message the bot sends may ping anyone: mentions render, but notify nobody. */
const allowedMentions = { parse: [], repliedUser: false } as const;
const typingEveryMs = 8000;
/** A reply faster than this shows no typing indicator: it would only cost an API call. */
const typingDelayMs = 500;
const filesPerMessage = 10;

/** A slash command being answered: the deferred reply is filled first, follow-ups after it. */
interface ActiveInteraction {
  interaction: ChatInputCommandInteraction;
  deferred: boolean;
  replied: boolean;
}

/**
 * Discord through discord.js: DMs always, guild channels when the bot is mentioned (or in the
 * configured `channels`), the bot's commands as slash commands, buttons, files in and out.
 * Every message goes out with `allowed_mentions: { parse: [] }`, so a reply can never ping
 * `@everyone` or anyone else; rate limits (429) are waited out by discord.js's REST queue.
 *
 * @example
 * export default defineConfig({ adapters: [discordAdapter({ channels: ['bot-chat'] })] });
 */
export function discordAdapter(options: DiscordAdapterOptions = {}): Adapter {
  const env = options.env ?? process.env;
  const maxBytes = options.maxDownloadBytes ?? 25 * 1024 * 1024;
  const channels = new Set((options.channels ?? []).map((entry) => entry.replace(/^#/, '')));
  const aliases = new ButtonDataAliases();
  const chatQueues = new Map<string, Promise<void>>();
  const active = new Map<string, ActiveInteraction>();
  const inFlight = new Set<Promise<void>>();
  let client: Client | undefined;
  let host: AdapterHost | undefined;
  let accepting = false;
  let started = false;

  const log = () => host!.log;

  /** Runs a message through the bot after the chat's earlier ones, so replies land where they belong. */
  const enqueue = (chatId: string, work: () => Promise<void>) => {
    const previous = chatQueues.get(chatId) ?? Promise.resolve();
    const current = previous.then(work).catch((error: unknown) => {
      log().error('discord-message-failed', { error });
    });
    chatQueues.set(chatId, current);
    inFlight.add(current);
    void current.then(() => {
      inFlight.delete(current);
      if (chatQueues.get(chatId) === current) chatQueues.delete(chatId);
    });
  };

  const addressed = (message: Message, botId: string): boolean => {
    if (!message.inGuild()) return true;
    if (channels.has(message.channelId) || channels.has(message.channel.name)) return true;
    if (message.mentions.users.has(botId)) return true;
    return message.mentions.repliedUser?.id === botId;
  };

  const onMessage = (message: Message) => {
    const botId = client?.user?.id;
    if (!accepting || !botId || message.author.bot || message.system || message.webhookId) return;
    if (!addressed(message, botId)) return;
    const incoming = messageToIncoming(message, botId, maxBytes);
    if (!incoming.text && incoming.attachments.length === 0) return;
    enqueue(message.channelId, async () => {
      const stopTyping = keepTyping(message.channel as SendableChannels);
      try {
        await host!.receive(incoming);
      } finally {
        stopTyping();
      }
    });
  };

  /** Stops the typing indicator of a channel whose message is running. */
  const typing = new Map<string, () => void>();

  /**
   * Shows "typing" once the reply has taken longer than {@link typingDelayMs}, and keeps it up
   * until the first reply in the channel is sent or the message is done.
   */
  const keepTyping = (channel: SendableChannels): (() => void) => {
    const type = () =>
      channel
        .sendTyping()
        .catch((error: unknown) => log().debug('discord-typing-failed', { error }));
    let repeat: NodeJS.Timeout | undefined;
    const delay = setTimeout(() => {
      void type();
      repeat = setInterval(type, typingEveryMs);
    }, typingDelayMs);
    const stop = () => {
      clearTimeout(delay);
      clearInterval(repeat);
      if (typing.get(channel.id) === stop) typing.delete(channel.id);
    };
    typing.set(channel.id, stop);
    return stop;
  };

  const onCommand = (interaction: ChatInputCommandInteraction) => {
    // Discord waits 3 seconds for an answer: defer at once ("thinking…"), fill it in later.
    const deferring = interaction.deferReply().then(
      () => true,
      (error: unknown) => {
        log().warn('discord-defer-failed', { error, command: interaction.commandName });
        return false;
      },
    );
    const incoming = commandToIncoming(interaction);
    enqueue(interaction.channelId, async () => {
      const state: ActiveInteraction = { interaction, deferred: await deferring, replied: false };
      active.set(interaction.channelId, state);
      try {
        await host!.receive(incoming);
      } finally {
        active.delete(interaction.channelId);
        if (state.deferred && !state.replied) {
          await interaction
            .deleteReply()
            .catch((error: unknown) => log().debug('discord-delete-reply-failed', { error }));
        }
      }
    });
  };

  const onButton = (interaction: ButtonInteraction) => {
    const acknowledged = interaction
      .deferUpdate()
      .catch((error: unknown) =>
        log().warn('discord-defer-failed', { error, button: interaction.customId }),
      );
    const incoming = buttonToIncoming(interaction, aliases.resolve(interaction.customId));
    enqueue(interaction.channelId, async () => {
      await acknowledged;
      await host!.receive(incoming);
    });
  };

  const onInteraction = (interaction: Interaction) => {
    if (!accepting || !interaction.channelId) return;
    if (interaction.isChatInputCommand()) onCommand(interaction);
    else if (interaction.isButton()) onButton(interaction);
  };

  const resolveChannel = async (chat: ChatRef): Promise<SendableChannels> => {
    const channel =
      client!.channels.cache.get(chat.platformId) ??
      (await client!.channels.fetch(chat.platformId));
    if (!channel?.isSendable()) {
      throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
        message: `The Discord channel ${chat.platformId} does not take messages from the bot.`,
      });
    }
    return channel;
  };

  /** The messages one OutgoingMessage becomes: text parts, buttons under the last, files with it. */
  const payloadsOf = (message: OutgoingMessage): BaseMessageOptions[] => {
    const parts = message.text.trim() ? splitDiscordText(message.text) : [];
    const groups: Artifact[][] = [];
    const artifacts = message.artifacts ?? [];
    for (let index = 0; index < artifacts.length; index += filesPerMessage)
      groups.push(artifacts.slice(index, index + filesPerMessage));
    let components: ActionRow[] = [];
    if (message.buttons?.length) {
      const result = buttonsToComponents(message.buttons, aliases);
      components = result.components;
      if (result.dropped) log().warn('discord-buttons-dropped', { dropped: result.dropped });
    }
    const lastText = Math.max(0, parts.length - 1);
    const count = Math.max(parts.length, lastText + groups.length, components.length ? 1 : 0);
    const payloads: BaseMessageOptions[] = [];
    for (let index = 0; index < count; index += 1) {
      const group = groups[index - lastText];
      payloads.push({
        ...(parts[index] !== undefined ? { content: parts[index] } : {}),
        ...(index === lastText && components.length ? { components } : {}),
        ...(group
          ? {
              files: group.map((artifact) => ({
                attachment: Buffer.from(artifact.data),
                name: artifact.name,
                ...(artifact.caption ? { description: artifact.caption.slice(0, 1024) } : {}),
              })),
            }
          : {}),
        allowedMentions,
      });
    }
    return payloads;
  };

  const sendPayload = async (
    chat: ChatRef,
    payload: BaseMessageOptions,
    replyTo: string | undefined,
  ): Promise<Message> => {
    const interaction = active.get(chat.platformId);
    if (interaction?.deferred && !interaction.replied) {
      interaction.replied = true;
      return interaction.interaction.editReply(payload);
    }
    if (interaction?.replied) return interaction.interaction.followUp(payload);
    const channel = await resolveChannel(chat);
    return channel.send({
      ...payload,
      ...(replyTo ? { reply: { messageReference: replyTo, failIfNotExists: false } } : {}),
    });
  };

  return {
    name: 'discord',
    capabilities,
    async start(runtimeHost) {
      host = runtimeHost;
      const token = options.token ?? env.DISCORD_BOT_TOKEN;
      if (!token) {
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: 'The Discord adapter needs a bot token, and DISCORD_BOT_TOKEN is not set.',
          hint: 'Create a bot in the Discord Developer Portal (Applications → Bot → Reset Token) and set DISCORD_BOT_TOKEN.',
        });
      }
      const apiUrl = options.apiUrl ?? env.DISCORD_API_URL;
      const discord = await import('discord.js');
      const { GatewayIntentBits: intents, Partials, Events } = discord;
      client = new discord.Client({
        intents: [
          intents.Guilds,
          intents.GuildMessages,
          intents.DirectMessages,
          ...(options.messageContent === false ? [] : [intents.MessageContent]),
        ],
        // DM channels are not cached before their first message: let them arrive as partials.
        partials: [Partials.Channel],
        allowedMentions,
        failIfNotExists: false,
        rest: apiUrl ? { api: apiUrl.replace(/\/+$/, '') } : {},
      });
      client.on(Events.MessageCreate, onMessage);
      client.on(Events.InteractionCreate, onInteraction);
      client.on(Events.Error, (error) => log().error('discord-client-error', { error }));
      client.on(Events.ShardError, (error) => log().warn('discord-gateway-error', { error }));
      client.on(Events.Warn, (message) => log().warn('discord-warning', { message }));
      const timeoutMs = options.readyTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      try {
        const ready = new Promise<void>((resolve, reject) => {
          client!.once(Events.ClientReady, () => resolve());
          timer = setTimeout(
            () => reject(new Error(`the gateway was not ready within ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        await client.login(token);
        await ready;
      } catch (error) {
        await client.destroy().catch(() => {});
        client = undefined;
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: `The Discord bot could not connect: ${error instanceof Error ? error.message : String(error)}.`,
          hint: 'Check DISCORD_BOT_TOKEN, and that the Message Content intent is on in the Developer Portal (or set messageContent: false).',
          cause: error,
        });
      } finally {
        clearTimeout(timer);
      }
      accepting = true;
      started = true;
      runtimeHost.log.info('discord-connected', {
        bot: client.user?.tag,
        guilds: client.guilds.cache.size,
      });
      if (options.registerCommands !== false) {
        void registerCommands(client, runtimeHost.commands(), runtimeHost.log);
      }
    },
    async stop() {
      accepting = false;
      await Promise.allSettled([...inFlight]);
      started = false;
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.destroy();
      }
    },
    async send(chat, message): Promise<SentMessage> {
      if (!started || !client) {
        throw new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
          message: 'The Discord adapter is not running.',
        });
      }
      typing.get(chat.platformId)?.();
      const ids: string[] = [];
      const payloads = payloadsOf(message);
      try {
        for (const [index, payload] of payloads.entries()) {
          const sent = await sendPayload(chat, payload, index === 0 ? message.replyTo : undefined);
          ids.push(sent.id);
        }
      } catch (error) {
        if (isBotwireError(error)) throw error;
        throw new BotwireError('BOTWIRE_ADAPTER_FAILED', {
          message: `Discord did not take the message: ${error instanceof Error ? error.message : String(error)}.`,
          cause: error,
          details: { sent: ids.length, of: payloads.length },
        });
      }
      return { platformMessageIds: ids };
    },
  };
}
