import type { BotHttpServer, Button } from '@botwire/core';
import type { UploadedFile } from './file-upload';

/** A WebSocket, as the bot's HTTP server hands it over (a `ws` WebSocket). */
export type Socket = Parameters<Parameters<BotHttpServer['websocket']>[1]>[0];

/** A file of a reply, downloadable with the same user's token. */
export interface ArtifactLink {
  name: string;
  mimeType: string;
  size: number;
  /** A path on the bot's server: `/api/v1/artifacts/<id>`. */
  url: string;
}

/**
 * One message of a web chat, as the page and the API see it. `job_result` is what a queued job
 * sent when it finished (background work, a scheduled task): a bot message like any other, not
 * a reply to the request being processed.
 */
export interface ChatEvent {
  type: 'message' | 'job_result';
  /** For a `job_result`: what kind of job it was. */
  job?: { kind: 'background' | 'scheduled' };
  /** Increasing within the chat, kept across restarts while the history's epoch stays. */
  seq: number;
  from: 'user' | 'bot';
  text: string;
  format?: 'plain' | 'markdown';
  buttons?: Button[][];
  artifacts?: ArtifactLink[];
  /** For a file the user sent: its name, type and size (its bytes are not kept). */
  file?: UploadedFile;
  /** For a button press: the button's data. */
  button?: string;
  /** For the user's own messages: the id the page gave it, so the page can match the echo. */
  clientId?: string;
  at: string;
}

const socketOpen = 1;

/**
 * One web chat as this process sees it: its open sockets, the replies of the request being
 * processed, and the queue that runs its messages one at a time. Its history lives in storage
 * ({@link ChatHistory}), not here.
 */
export class ChatChannel {
  readonly sockets = new Set<Socket>();
  /** Where the bot's replies also go while one request is being processed. */
  collector: ChatEvent[] | undefined;
  /** The chat's messages run one after another, so each request collects only its own replies. */
  queue: Promise<unknown> = Promise.resolve();

  constructor(readonly id: string) {}

  /** Hands a stored message to the collector (a bot message) and pushes it to every socket. */
  deliver(event: ChatEvent): void {
    // A job's result is not a reply to the request that happens to be running.
    if (event.from === 'bot' && event.type === 'message') this.collector?.push(event);
    this.broadcast(event);
  }

  broadcast(payload: unknown): void {
    if (this.sockets.size === 0) return;
    const text = JSON.stringify(payload);
    for (const socket of this.sockets) if (socket.readyState === socketOpen) socket.send(text);
  }

  /** True when nothing holds the chat: no socket, no request. */
  get idle(): boolean {
    return this.sockets.size === 0 && !this.collector;
  }
}

/** The web chats the adapter knows, the least recently used dropped past `maxChats` when idle. */
export class ChatChannels {
  private readonly channels = new Map<string, ChatChannel>();

  constructor(private readonly maxChats = 1000) {}

  get(id: string): ChatChannel {
    let channel = this.channels.get(id);
    if (channel) {
      this.channels.delete(id);
    } else {
      channel = new ChatChannel(id);
      this.evict();
    }
    this.channels.set(id, channel);
    return channel;
  }

  /** The chat if it exists, without creating it. */
  find(id: string): ChatChannel | undefined {
    return this.channels.get(id);
  }

  all(): ChatChannel[] {
    return [...this.channels.values()];
  }

  private evict(): void {
    if (this.channels.size < this.maxChats) return;
    for (const [id, channel] of this.channels) {
      if (this.channels.size < this.maxChats) return;
      if (channel.idle) this.channels.delete(id);
    }
  }
}
