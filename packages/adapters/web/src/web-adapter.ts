import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  type Adapter,
  type AdapterCapabilities,
  type AdapterHost,
  type Attachment,
  BotwireError,
  type CommandInfo,
  type IncomingMessage,
  type Logger,
  type OutgoingMessage,
  parseCommand,
  type ScopedKeyValueStore,
  type Sender,
  type SentMessage,
  silentLogger,
  splitText,
} from '@botwire/core';
import { type ArtifactStore, directoryArtifactStore, memoryArtifactStore } from './artifact-store';
import { type ArtifactLink, ChatChannels, type ChatEvent } from './chat-channels';
import { ChatHistory } from './chat-history';
import { defaultMaxUploadBytes, uploadAttachment, type WebUpload } from './file-upload';
import { chatIdFor, ownerKeyOfChat, WebAccounts, type WebPrincipal } from './web-accounts';
import { mountWebRoutes } from './web-routes';
import { acceptSocket, maxFrameBytes } from './web-socket';

/** Options for {@link webAdapter}. */
export interface WebAdapterOptions {
  /**
   * Where files the bot sends are kept until downloaded. Default: `<dataDir>/web-artifacts`;
   * `false` keeps them in memory (lost on restart).
   */
  artifactDir?: string | false;
  /** How long a file stays downloadable. Default: 7 days. */
  artifactTtlMs?: number;
  /** With `artifactDir: false`: the most bytes kept; the oldest files go first. Default: 64 MiB. */
  memoryArtifactBytes?: number;
  /**
   * Recent messages kept per chat in the bot's storage, for page reloads, reconnects and
   * restarts. Default: 100.
   */
  historySize?: number;
  /** How long a message stays in a chat's history. Default: 30 days. */
  historyTtlMs?: number;
  /** The name the bot calls the owner by. Default: the system user's name, as in the terminal. */
  ownerName?: string;
  /**
   * The largest file a user may send (`POST /api/v1/files`, the page's paperclip). A larger body
   * is refused with 413 while it arrives, before it is read whole. Skills apply their own,
   * usually smaller, limits; this one only guards the bot. Default: 50 MiB.
   */
  maxUploadBytes?: number;
  /** Serve the chat page at `/`. Default: true (the API and the WebSocket are always served). */
  page?: boolean;
}

/**
 * What a signed-in user sends: a text, a file with an optional caption (`text`), or a press of
 * a button.
 */
export interface WebInput {
  text?: string;
  /** A file, held in memory only while its message is processed. */
  file?: WebUpload;
  button?: { data: string; label?: string };
  /** With the owner token only: act for this user of the owner's own site or app. */
  userId?: string;
  locale?: string;
  /** The page's id for the message, echoed back so the page can match it. */
  clientId?: string;
}

/** What the HTTP routes and the WebSocket handler share with the adapter. */
export interface WebChatRuntime {
  readonly running: boolean;
  readonly accounts: WebAccounts;
  readonly artifacts: ArtifactStore;
  readonly chats: ChatChannels;
  readonly history: ChatHistory;
  /** Changes only when the stored history is gone, so a page notices that its copy is stale. */
  readonly epoch: string;
  readonly maxTextLength: number;
  /** The largest file `POST /api/v1/files` takes. */
  readonly maxUploadBytes: number;
  readonly log: Logger;
  /** The adapter's key-value namespace (preferences such as a chat's chosen language). */
  readonly kv: ScopedKeyValueStore;
  /** The bot's commands, for the empty chat's greeting. */
  commands(): CommandInfo[];
  /** Runs one message through the bot and resolves with the replies it produced. */
  submit(principal: WebPrincipal, input: WebInput): Promise<ChatEvent[]>;
}

const capabilities: AdapterCapabilities = {
  buttons: true,
  markdown: true,
  files: true,
  maxTextLength: 20_000,
  verifiesRoles: true,
};

const day = 24 * 60 * 60 * 1000;

/**
 * The web chat: `POST /api/v1/chat` answers with the bot's replies (`POST /api/v1/files` takes a
 * file, which skills with `files` in skill.json receive), `/api/v1/ws` streams them
 * and later proactive messages, and `/` serves a chat page (plain HTML and JavaScript). The owner
 * signs in with the HTTP server's owner token; other people with invitation tokens the owner
 * creates (`POST /api/v1/invitations`). Files the bot sends are downloadable by their owner only.
 *
 * @example
 * export default defineConfig({ adapters: ['console', 'web'] }); // then open http://127.0.0.1:3000
 */
export function webAdapter(options: WebAdapterOptions = {}): Adapter {
  const ttlMs = options.artifactTtlMs ?? 7 * day;
  const maxUploadBytes = options.maxUploadBytes ?? defaultMaxUploadBytes;
  if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 1)
    throw new BotwireError('BOTWIRE_CONFIG_INVALID', {
      message: `The web adapter's maxUploadBytes must be a whole number of bytes above 0; it is ${String(options.maxUploadBytes)}.`,
      hint: 'Leave it out for 50 MiB, or set it such as maxUploadBytes: 20 * 1024 * 1024.',
    });
  const chats = new ChatChannels();
  let host: AdapterHost | undefined;
  let accounts: WebAccounts | undefined;
  let artifacts: ArtifactStore | undefined;
  let history: ChatHistory | undefined;
  let epoch: string | undefined;
  let running = false;
  let sweeper: NodeJS.Timeout | undefined;
  const mounted = new WeakSet<object>();

  const notStarted = () =>
    new BotwireError('BOTWIRE_ADAPTER_NOT_STARTED', {
      message: 'The web adapter is not running.',
    });

  const toMessage = (
    principal: WebPrincipal,
    chatId: string,
    input: WebInput,
    recorded: ChatEvent,
    attachments: Attachment[],
  ): IncomingMessage => {
    // Unique across restarts and processes: the chat's stored sequence number is.
    const platformMessageId = `${epoch}-${chatId}-${recorded.seq}`;
    const self = input.userId === undefined;
    // The token was checked: the owner's own chat is the owner's; a new invitation admits its holder.
    const verifiedRole: Sender['verifiedRole'] =
      self && principal.owner ? 'owner' : principal.admit ? 'user' : undefined;
    const sender: Sender = {
      platformId: chatId,
      ...(self && principal.name ? { name: principal.name } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
      ...(verifiedRole ? { verifiedRole } : {}),
    };
    const base = {
      platform: 'web',
      platformMessageId,
      sender,
      chat: { platformId: chatId, type: 'private' as const },
      attachments,
      sentAt: new Date(),
    };
    if (input.button) return { ...base, kind: 'button', text: '', buttonData: input.button.data };
    const text = input.text ?? '';
    // A file's caption is not a command, as on Telegram.
    if (input.file) return { ...base, kind: 'message', text };
    const command = parseCommand(text);
    return { ...base, kind: 'message', text, ...(command ? { command } : {}) };
  };

  const submit = (principal: WebPrincipal, input: WebInput): Promise<ChatEvent[]> => {
    const chatId = chatIdFor(principal, input.userId);
    if (!chatId)
      return Promise.reject(
        new BotwireError('BOTWIRE_ACCESS_DENIED', {
          message: 'Only the owner token may act for another user (userId).',
        }),
      );
    const channel = chats.get(chatId);
    const run = channel.queue.then(async () => {
      if (!running || !host || !history) throw notStarted();
      const replies: ChatEvent[] = [];
      const recorded = await history.append(chatId, {
        from: 'user',
        text: input.button ? (input.button.label ?? input.button.data) : (input.text ?? ''),
        ...(input.button ? { button: input.button.data } : {}),
        ...(input.file
          ? {
              file: {
                name: input.file.name,
                mimeType: input.file.mimeType,
                size: input.file.size,
              },
            }
          : {}),
        ...(input.clientId ? { clientId: input.clientId } : {}),
      });
      channel.collector = replies;
      channel.deliver(recorded);
      channel.broadcast({ type: 'status', busy: true });
      const upload = input.file ? uploadAttachment(input.file) : undefined;
      try {
        await host.receive(
          toMessage(principal, chatId, input, recorded, upload ? [upload.attachment] : []),
        );
      } finally {
        // The bytes go with the request: nothing that keeps the message keeps the file.
        upload?.release();
        channel.collector = undefined;
        channel.broadcast({ type: 'status', busy: false });
      }
      if (principal.admit && principal.invitationId) {
        await accounts?.markAdmitted(principal.invitationId);
        principal.admit = false;
      }
      return replies;
    });
    channel.queue = run.catch(() => {});
    return run;
  };

  const runtime: WebChatRuntime = {
    get running() {
      return running;
    },
    get accounts() {
      if (!accounts) throw notStarted();
      return accounts;
    },
    get artifacts() {
      if (!artifacts) throw notStarted();
      return artifacts;
    },
    chats,
    get history() {
      if (!history) throw notStarted();
      return history;
    },
    get epoch() {
      if (!epoch) throw notStarted();
      return epoch;
    },
    maxTextLength: capabilities.maxTextLength,
    maxUploadBytes,
    get log() {
      return host?.log ?? silentLogger;
    },
    get kv() {
      if (!host) throw notStarted();
      return host.kv;
    },
    commands: () => host?.commands() ?? [],
    submit,
  };

  return {
    name: 'web',
    capabilities,
    async start(runtimeHost) {
      host = runtimeHost;
      const server = runtimeHost.http();
      accounts = new WebAccounts(
        runtimeHost.kv,
        () => server.token,
        options.ownerName ?? systemUserName(),
      );
      const directory = options.artifactDir ?? join(runtimeHost.dataDir, 'web-artifacts');
      artifacts =
        directory === false
          ? memoryArtifactStore({ maxBytes: options.memoryArtifactBytes ?? 64 * 2 ** 20, ttlMs })
          : directoryArtifactStore({ directory, ttlMs });
      history = new ChatHistory(runtimeHost.kv, {
        size: options.historySize ?? 100,
        ttlMs: options.historyTtlMs ?? 30 * day,
      });
      epoch = await history.epoch();
      const store = artifacts;
      void store.sweep();
      sweeper = setInterval(() => void store.sweep(), 60 * 60 * 1000);
      sweeper.unref();
      if (!mounted.has(server)) {
        mounted.add(server);
        mountWebRoutes(server, runtime, { page: options.page ?? true });
        server.websocket(
          '/api/v1/ws',
          (socket, request) => acceptSocket(runtime, socket, request),
          {
            maxPayloadBytes: maxFrameBytes,
          },
        );
      }
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(sweeper);
      for (const channel of chats.all())
        for (const socket of channel.sockets) socket.close(1001, 'the bot is stopping');
      await Promise.all(chats.all().map((channel) => channel.queue));
    },
    async send(chat, message: OutgoingMessage): Promise<SentMessage> {
      if (!running || !artifacts || !history) throw notStarted();
      const channel = chats.get(chat.platformId);
      const ownerKey = ownerKeyOfChat(chat.platformId);
      const links: ArtifactLink[] = [];
      for (const artifact of message.artifacts ?? []) {
        const stored = await artifacts.put(artifact, ownerKey);
        links.push({
          name: stored.name,
          mimeType: stored.mimeType,
          size: stored.size,
          url: `/api/v1/artifacts/${stored.id}`,
        });
      }
      const parts = splitText(message.text, capabilities.maxTextLength);
      const ids: string[] = [];
      for (const [index, text] of parts.entries()) {
        const last = index === parts.length - 1;
        const event = await history.append(chat.platformId, {
          ...(message.job ? { type: 'job_result' as const, job: { kind: message.job.kind } } : {}),
          from: 'bot',
          text,
          ...(message.format ? { format: message.format } : {}),
          ...(last && message.buttons?.length ? { buttons: message.buttons } : {}),
          ...(last && links.length ? { artifacts: links } : {}),
        });
        channel.deliver(event);
        ids.push(`${epoch}-${chat.platformId}-${event.seq}`);
      }
      return { platformMessageIds: ids };
    },
  };
}

function systemUserName(): string {
  try {
    return userInfo().username || 'owner';
  } catch {
    return 'owner';
  }
}
