/**
 * Test and benchmark support (not exported): several bot processes behind one Telegram webhook,
 * as a deployment runs them. Each process is `webhook-bot.mjs` (an echo bot in webhook mode on
 * its own port); all share one SQLite file and the chat sequencer (Redis or storage); their Bot
 * API calls go to one local peer, whose log is what the bots answered. `sendUpdates` plays
 * Telegram: updates of many chats, each chat's next update sent once the last was acknowledged,
 * handed to the processes in turn, some sent twice, and a failed delivery retried on another
 * process (as a load balancer would).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@botwire/core/testing';
import type { BotApiPeer } from '../bot-api-peer';
import type { Emulator } from '../emulator';

const script = fileURLToPath(new URL('./webhook-bot.mjs', import.meta.url));
const secret = 'cluster-webhook-secret-0123456789';

/** Options of {@link startWebhookCluster}. */
export interface WebhookClusterOptions {
  processes: number;
  /** Where the processes send their Bot API calls. */
  peer: { apiRoot: string };
  token: string;
  /** The shared SQLite file. */
  database: string;
  /** Storage in MongoDB at this URL instead of the SQLite file. */
  mongoUrl?: string;
  dataDir: string;
  /** `redis` (with `redisUrl`) or `storage`. */
  sequencer: 'redis' | 'storage';
  redisUrl?: string;
  /** Each process logs every answer it begins and sends (see {@link WebhookCluster.trail}). */
  trace?: boolean;
}

/** Running bot processes. */
export interface WebhookCluster {
  /** Each process's webhook URL, by index. */
  readonly urls: string[];
  /** Kills process `index` at once (SIGKILL): no cleanup, as a crash. */
  kill(index: number): Promise<void>;
  /** Starts process `index` again on its port; resolves once it listens. */
  restart(index: number): Promise<void>;
  /** Stops every process (SIGTERM). */
  stop(): Promise<void>;
  /**
   * How often the processes logged each counted event: `telegram-update-replayed` (an update a
   * dead process had taken, run again) and `telegram-update-answered-before-crash` (a replay
   * skipped because the dead process had handed out its answer).
   */
  events(): Record<string, number>;
  /**
   * Every line the processes logged, in the order the harness read them, with the index of the
   * process: the counted events (with `updateId`), `cluster-reply` lines with `trace` (`phase`
   * `begun` or `sent`, `pid`, `chat`, `text`, `at`), and `cluster-killed` (`at`) for each kill.
   */
  trail(): ClusterLine[];
}

/** One line of {@link WebhookCluster.trail}. */
export interface ClusterLine {
  message: string;
  process: number;
  updateId?: number;
  phase?: string;
  pid?: number;
  chat?: number;
  text?: string;
  at?: number;
}

/** Starts the processes; resolves once every one listens. */
export async function startWebhookCluster(options: WebhookClusterOptions): Promise<WebhookCluster> {
  const ports = await Promise.all(Array.from({ length: options.processes }, () => freePort()));
  const children: Array<ChildProcess | undefined> = [];
  const trail: ClusterLine[] = [];
  const launch = async (index: number) => {
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        CLUSTER_PORT: String(ports[index]),
        CLUSTER_DB: options.database,
        CLUSTER_DATA_DIR: options.dataDir,
        CLUSTER_SEQUENCER: options.sequencer,
        CLUSTER_TOKEN: options.token,
        CLUSTER_API_ROOT: options.peer.apiRoot,
        CLUSTER_SECRET: secret,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        CLUSTER_TRACE: options.trace ? '1' : '',
        ...(options.mongoUrl ? { MONGODB_URL: options.mongoUrl } : { MONGODB_URL: '' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children[index] = child;
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'ready') resolve();
          else if (line.startsWith('{')) {
            trail.push({ ...(JSON.parse(line) as Omit<ClusterLine, 'process'>), process: index });
          }
        }
      });
      child.once('exit', (code) =>
        reject(
          new Error(`bot process ${index} exited with ${code} before it was ready: ${errors}`),
        ),
      );
    });
  };
  await Promise.all(ports.map((_, index) => launch(index)));
  return {
    urls: ports.map((port) => `http://127.0.0.1:${port}/telegram/webhook`),
    async kill(index) {
      const child = children[index];
      children[index] = undefined;
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      trail.push({ message: 'cluster-killed', process: index, at: Date.now() });
    },
    restart: launch,
    events() {
      const counted: Record<string, number> = {};
      for (const { message } of trail)
        if (message !== 'cluster-reply' && message !== 'cluster-killed')
          counted[message] = (counted[message] ?? 0) + 1;
      return counted;
    },
    trail: () => [...trail],
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (!child || child.exitCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** Options of {@link sendUpdates}. */
export interface SendOptions {
  urls: () => string[];
  chats: number;
  perChat: number;
  /** The share of updates also sent to another process at once (a redelivery). Default 0. */
  duplicates?: number;
  /** Called once when half of the updates were acknowledged (to kill a process, say); awaited at the end. */
  atHalf?: () => Promise<void>;
  /** First chat id. Default 700000. */
  firstChat?: number;
}

/** What {@link sendUpdates} did. */
export interface SendReport {
  sent: number;
  duplicates: number;
  /** Deliveries that failed (a process down) and went to another process. */
  retried: number;
  /** Wall time from the first send to the last acknowledgement, ms. */
  ms: number;
  /** The id of each update, by `<chat>:<text>`. */
  updateIds: Map<string, number>;
}

/** The text of chat message `n` (1-based), as {@link sendUpdates} sends it. */
export const clusterText = (n: number) => `m${n}`;

/**
 * Plays Telegram: every chat sends `perChat` texts, each once the previous was acknowledged;
 * chats run at once; update ids grow with time across all chats; processes take turns.
 */
export async function sendUpdates(options: SendOptions): Promise<SendReport> {
  const report: SendReport = { sent: 0, duplicates: 0, retried: 0, ms: 0, updateIds: new Map() };
  const total = options.chats * options.perChat;
  let nextId = 1;
  let turn = 0;
  let acknowledged = 0;
  let half: Promise<void> | undefined;
  const started = performance.now();
  const post = async (url: string, body: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body,
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  };
  /** Delivers to the process whose turn it is; a failure goes to the next one, as Telegram retries. */
  const deliver = async (body: string) => {
    for (let attempt = 0; ; attempt++) {
      const urls = options.urls();
      const url = urls[turn++ % urls.length]!;
      try {
        await post(url, body);
        return urls.indexOf(url);
      } catch (error) {
        report.retried += 1;
        if (attempt > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const chat = async (chatId: number) => {
    for (let n = 1; n <= options.perChat; n++) {
      const id = nextId++;
      report.updateIds.set(`${chatId}:${clusterText(n)}`, id);
      const body = JSON.stringify({
        update_id: id,
        message: {
          message_id: n,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: `User ${chatId}` },
          from: { id: chatId, is_bot: false, first_name: `User ${chatId}` },
          text: clusterText(n),
        },
      });
      report.sent += 1;
      const twice =
        (options.duplicates ?? 0) > 0 && (id * 7919) % 100 < (options.duplicates ?? 0) * 100;
      if (twice) {
        report.duplicates += 1;
        await Promise.all([deliver(body), deliver(body)]);
      } else await deliver(body);
      acknowledged += 1;
      // Not awaited: the other chats go on while a process is down.
      if (options.atHalf && !half && acknowledged >= total / 2) half = options.atHalf();
    }
  };
  const firstChat = options.firstChat ?? 700000;
  await Promise.all(Array.from({ length: options.chats }, (_, index) => chat(firstChat + index)));
  report.ms = performance.now() - started;
  await half;
  return report;
}

/** The texts the bots sent, each with its chat, in the order the Bot API received them. */
export function sentTexts(api: BotApiPeer | Emulator): Array<{ chat: number; text: string }> {
  if ('server' in api)
    return api.server.storage.botMessages.map((stored) => ({
      chat: Number(stored.message.chat_id),
      text: String((stored.message as { text?: unknown }).text),
    }));
  return api.callsOf('sendMessage').map((call) => ({
    chat: Number(call.params.chat_id),
    text: String(call.params.text),
  }));
}

/** Each chat's answers in the order the Bot API received them: `echo m1`, `echo m2`, ... */
export function answersByChat(api: BotApiPeer | Emulator): Map<number, string[]> {
  const byChat = new Map<number, string[]>();
  for (const { chat, text } of sentTexts(api)) {
    const list = byChat.get(chat) ?? [];
    list.push(text);
    byChat.set(chat, list);
  }
  return byChat;
}
