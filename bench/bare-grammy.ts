/**
 * What the benchmarks compare Botwire with: a bare grammY bot whose Bot API calls are answered
 * in-process (a `fetch` that never touches the network). grammY is loaded from the Telegram
 * adapter's dependencies, so the benchmarks measure the grammY version Botwire ships with.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The parts of a grammY bot the benchmarks use. */
export interface GrammyBot {
  handleUpdate(update: never): Promise<void>;
  command(name: string, handler: (context: GrammyContext) => Promise<unknown> | unknown): GrammyBot;
  on(filter: string, handler: (context: GrammyContext) => Promise<unknown> | unknown): GrammyBot;
}

/** The parts of a grammY context the benchmarks use. */
export interface GrammyContext {
  match: string;
  from?: { id: number };
  reply(text: string): Promise<unknown>;
}

type BotConstructor = new (token: string, config?: Record<string, unknown>) => GrammyBot;

/** The `getMe` answer both bots start with, so neither calls the API to learn it. */
export const benchBotInfo = {
  id: 1,
  is_bot: true as const,
  first_name: 'Bench',
  username: 'BenchBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

/** A Bot API answered in memory: its `fetch`, and the calls it got per method. */
export interface InProcessApi {
  fetch: (url: string | URL, init?: { signal?: AbortSignal | null }) => Promise<Response>;
  calls: Map<string, number>;
}

/** A Bot API answered in memory; counts the calls per method. */
export function inProcessApi(): InProcessApi {
  const calls = new Map<string, number>();
  let messageId = 0;
  const fetch = async (url: string | URL, init?: { signal?: AbortSignal | null }) => {
    const method = String(url).slice(String(url).lastIndexOf('/') + 1);
    calls.set(method, (calls.get(method) ?? 0) + 1);
    if (method === 'getUpdates') {
      // Long polling that never gets an update: the benchmark feeds handleUpdate directly.
      await new Promise((resolve) => init?.signal?.addEventListener('abort', resolve));
      return new Response(JSON.stringify({ ok: true, result: [] }));
    }
    const result =
      method === 'sendMessage'
        ? { message_id: ++messageId, date: 0, chat: { id: 1, type: 'private' }, text: 'pong' }
        : true;
    return new Response(JSON.stringify({ ok: true, result }));
  };
  return { fetch, calls };
}

/** A grammY bot on an in-process Bot API; `replies()` counts its sendMessage calls. */
export async function bareGrammyBot(): Promise<{ bot: GrammyBot; replies: () => number }> {
  const require = createRequire(
    new URL('../packages/adapters/telegram/package.json', import.meta.url),
  );
  const { Bot } = (await import(pathToFileURL(require.resolve('grammy')).href)) as {
    Bot: BotConstructor;
  };
  const api = inProcessApi();
  const bot = new Bot('1:bench', { botInfo: benchBotInfo, client: { fetch: api.fetch } });
  return { bot, replies: () => api.calls.get('sendMessage') ?? 0 };
}

/** A Telegram text message update from a user in their private chat; commands get an entity. */
export function textUpdate(updateId: number, userId: number, text: string) {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'User' },
      from: { id: userId, is_bot: false, first_name: 'User', language_code: 'en' },
      text,
      ...(command
        ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }
        : {}),
    },
  };
}
