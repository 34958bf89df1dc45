import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type Bot,
  type BotConfig,
  createBot,
  type FinishedToolCall,
  loadConfig,
  memoryStorage,
  type OutgoingMessage,
  silentLogger,
} from '@botwire/core';
import {
  type ManualClock,
  manualClock,
  scriptedChatModel,
  type TestSender,
  testAdapter,
} from '@botwire/core/testing';
import { withFakeDate } from './fake-date';
import type { GoldenConversation, GoldenExpectation, GoldenTurn, GoldenUser } from './golden-file';

/** One expectation a turn did not meet. */
export interface GoldenFailure {
  /** 1-based. */
  turn: number;
  /** The line of the turn in the file (0 when unknown). */
  line: number;
  /** What the turn did: `say "/balance"`. */
  step: string;
  /** The expectation: `reply`, `tools`, ... */
  check: string;
  expected: string;
  got: string[];
}

/** How one golden conversation went. */
export interface GoldenResult {
  file: string;
  name: string;
  passed: boolean;
  /** Turns run (a turn that could not run stops the conversation). */
  turns: number;
  failures: GoldenFailure[];
  /** Why the conversation could not run at all (a config that does not load). */
  error?: string;
  ms: number;
}

const configNames = [
  'botwire.config.ts',
  'botwire.config.js',
  'botwire.config.mjs',
  'botwire.config.json',
];

/** The bot config a golden file runs against: its `config:`, else the nearest botwire.config.* above it. */
export function findGoldenConfig(conversation: GoldenConversation, configPath?: string): string {
  if (conversation.config) return resolve(dirname(conversation.file), conversation.config);
  if (configPath) return resolve(configPath);
  let directory = dirname(resolve(conversation.file));
  for (;;) {
    for (const name of configNames) {
      const candidate = join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error(
        `no botwire.config.ts (or .js, .json) in ${dirname(resolve(conversation.file))} or above it: give the file a \`config:\` line, or pass --config`,
      );
    directory = parent;
  }
}

/**
 * Runs one golden conversation against a bot made from its config, in this process: memory
 * storage, a test messenger, the scripted model (when the config names a model or the file
 * scripts answers) and a fake clock that `wait:` moves (the job queue's and `Date`'s). Each turn's
 * replies are checked against its `expect:`.
 */
export async function runGolden(
  conversation: GoldenConversation,
  options: { configPath?: string } = {},
): Promise<GoldenResult> {
  const started = performance.now();
  const result: GoldenResult = {
    file: conversation.file,
    name: conversation.name,
    passed: false,
    turns: 0,
    failures: [],
    ms: 0,
  };
  const clock = manualClock(conversation.start ?? Date.now());
  const dataDir = mkdtempSync(join(tmpdir(), 'botwire-golden-'));
  let bot: Bot | undefined;
  try {
    await withFakeDate(clock, async () => {
      const configFile = findGoldenConfig(conversation, options.configPath);
      const { config } = await loadConfig(configFile, { env: {} });
      const scripted = conversation.turns.some((turn) => turn.kind === 'model');
      const model = scripted || config.model !== undefined ? scriptedChatModel() : undefined;
      const chat = testAdapter({ localOperator: true }, 'test');
      const calls: FinishedToolCall[] = [];
      // One storage for the whole conversation: a `restart` starts a new bot on it, as a new
      // process would start on the same database.
      const storage = memoryStorage();
      const makeBot = () =>
        createBot({
          config: { ...(config as BotConfig), storage, http: false, adapters: [] },
          rootDir: dirname(configFile),
          dataDir,
          adapters: [chat.adapter],
          ...(model ? { model } : {}),
          clock,
          log: silentLogger,
          env: {},
          terminal: { write: () => undefined },
          onToolCall: (call) => calls.push(call),
        });
      bot = makeBot();
      await bot.start();
      let last: OutgoingMessage[] = [];
      const withRole = new Set<string>();
      for (const [index, turn] of conversation.turns.entries()) {
        const step = describeTurn(turn);
        const fail = (check: string, expected: string, got: string[]) =>
          result.failures.push({ turn: index + 1, line: turn.line, step, check, expected, got });
        const user = turn.as ?? conversation.user;
        const sender = senderOf(user);
        if (user.role && !withRole.has(user.id)) {
          // The role is there before the user's first message, as if the owner had set it.
          const record = await storage.users.resolve(
            { platform: 'test', platformId: user.id },
            { name: user.name, locale: user.locale },
          );
          await storage.users.update(record.id, { role: user.role });
          withRole.add(user.id);
        }
        const callsBefore = calls.length;
        const modelBefore = model?.requests.length ?? 0;
        let replies: OutgoingMessage[] = [];
        result.turns = index + 1;
        if (turn.kind === 'model') {
          if (!model) throw new Error('no model');
          model.push(...turn.answers);
          continue;
        }
        if (turn.kind === 'say') replies = await chat.say(turn.text, sender);
        else if (turn.kind === 'press') {
          const button = last
            .flatMap((message) => message.buttons?.flat() ?? [])
            .find(
              (each) =>
                each.label.toLowerCase() === turn.button.toLowerCase() || each.data === turn.button,
            );
          if (!button?.data) {
            const offered = last.flatMap((message) => message.buttons?.flat() ?? []);
            fail('press', `a button "${turn.button}" in the last replies`, [
              offered.length
                ? `buttons: ${offered.map((each) => each.label).join(', ')}`
                : 'the last replies have no buttons',
            ]);
            break;
          }
          replies = await chat.press(button.data, sender);
        } else if (turn.kind === 'file') {
          const path = resolve(dirname(conversation.file), turn.file.path);
          const data = new Uint8Array(await readFile(path));
          replies = await chat.sendFile(
            {
              name: turn.file.name ?? basename(path),
              data,
              kind: turn.file.kind,
              ...(turn.file.type ? { mimeType: turn.file.type } : {}),
            },
            turn.file.caption ?? '',
            sender,
          );
        } else if (turn.kind === 'restart') {
          const before = chat.delivered.length;
          await bot.stop();
          bot = makeBot();
          await bot.start();
          // What the new bot sends at start (jobs that came due while it was down).
          await waitFor(clock, chat.delivered, 0);
          replies = chat.delivered.slice(before);
        } else replies = await waitFor(clock, chat.delivered, turn.ms);
        if (replies.length) last = replies;
        if (turn.expect)
          check(
            turn.expect,
            replies,
            calls.slice(callsBefore).map((call) => call.tool),
            (model?.requests.length ?? 0) - modelBefore,
            fail,
          );
      }
    });
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    await (bot as Bot | undefined)?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
  result.passed = !result.error && result.failures.length === 0;
  result.ms = Math.round(performance.now() - started);
  return result;
}

function senderOf(user: GoldenUser): TestSender {
  return { userId: user.id, name: user.name, locale: user.locale, operator: user.owner };
}

/** Moves the fake clock and collects what the bot sends meanwhile (due jobs), until it is quiet. */
async function waitFor(
  clock: ManualClock,
  delivered: readonly OutgoingMessage[],
  ms: number,
): Promise<OutgoingMessage[]> {
  const before = delivered.length;
  await clock.advance(ms);
  // Work a due job starts (a planned task, a reminder) may take a few real moments.
  let seen = delivered.length;
  let quietSince = performance.now();
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && performance.now() - quietSince < 150) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    await clock.settle();
    if (delivered.length !== seen) {
      seen = delivered.length;
      quietSince = performance.now();
    }
  }
  return delivered.slice(before);
}

function describeTurn(turn: GoldenTurn): string {
  switch (turn.kind) {
    case 'say':
      return `say ${JSON.stringify(turn.text.length > 60 ? `${turn.text.slice(0, 59)}…` : turn.text)}`;
    case 'press':
      return `press ${JSON.stringify(turn.button)}`;
    case 'file':
      return `file ${turn.file.path}`;
    case 'wait':
      return `wait ${turn.label}`;
    case 'restart':
      return 'restart';
    default:
      return 'model';
  }
}

/** A text pattern of a golden file: `/regex/flags`, or a substring. */
export function matcher(pattern: string): { test(text: string): boolean; describe: string } {
  const regex = /^\/(.+)\/([dgimsuy]*)$/s.exec(pattern);
  if (regex) {
    const compiled = new RegExp(regex[1]!, regex[2]);
    return { test: (text) => compiled.test(text), describe: `matching ${pattern}` };
  }
  return {
    test: (text) => text.includes(pattern),
    describe: `containing ${JSON.stringify(pattern)}`,
  };
}

function check(
  expect: GoldenExpectation,
  replies: OutgoingMessage[],
  tools: string[],
  modelCalls: number,
  fail: (check: string, expected: string, got: string[]) => void,
): void {
  const texts = replies.map((reply) => reply.text ?? '');
  const shown = texts.length
    ? texts.map((text, index) => `reply ${index + 1}: ${text}`)
    : ['no reply'];
  for (const pattern of expect.reply ?? []) {
    const match = matcher(pattern);
    if (!texts.some((text) => match.test(text))) fail('reply', `a reply ${match.describe}`, shown);
  }
  for (const pattern of expect.noReply ?? []) {
    const match = matcher(pattern);
    if (texts.some((text) => match.test(text)))
      fail('noReply', `no reply ${match.describe}`, shown);
  }
  if (expect.replies !== undefined && replies.length !== expect.replies)
    fail('replies', `${expect.replies} message(s)`, [`${replies.length} message(s)`, ...shown]);
  const labels = replies.flatMap(
    (reply) => reply.buttons?.flat().map((button) => button.label) ?? [],
  );
  for (const label of expect.buttons ?? [])
    if (!labels.some((each) => matcher(label).test(each)))
      fail('buttons', `a button ${matcher(label).describe}`, [
        labels.length ? `buttons: ${labels.join(' | ')}` : 'no buttons',
      ]);
  const files = replies.flatMap((reply) => reply.artifacts ?? []);
  const fileList = files.length
    ? files.map((file) => `${file.name} (${file.mimeType})`)
    : ['no files'];
  if (typeof expect.files === 'number' && files.length !== expect.files)
    fail('files', `${expect.files} file(s)`, fileList);
  if (Array.isArray(expect.files))
    for (const wanted of expect.files) {
      const found = files.some(
        (file) =>
          (wanted.name === undefined || matcher(wanted.name).test(file.name)) &&
          (wanted.type === undefined || matcher(wanted.type).test(file.mimeType)),
      );
      if (!found) fail('files', `a file ${JSON.stringify(wanted)}`, fileList);
    }
  if (expect.tools && tools.join(',') !== expect.tools.join(','))
    fail('tools', expect.tools.length ? expect.tools.join(' → ') : 'no tool called', [
      tools.length ? tools.join(' → ') : 'no tool called',
    ]);
  if (expect.modelCalls !== undefined && modelCalls !== expect.modelCalls)
    fail('modelCalls', `${expect.modelCalls} model call(s)`, [`${modelCalls} model call(s)`]);
  const voices = replies.filter((reply) => reply.voice).length;
  if (expect.voices !== undefined && voices !== expect.voices)
    fail('voices', `${expect.voices} voice message(s)`, [`${voices} voice message(s)`]);
}
