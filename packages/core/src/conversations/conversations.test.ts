import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { type Bot, createBot } from '../runtime/bot';
import { testAdapter } from '../testing/test-adapter';
import { defineConversation } from './define-conversation';
import { registration } from './fixtures/registration';

const bots: Bot[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function wizardBot(options: { dir?: string; timeoutMs?: number } = {}) {
  const test = testAdapter();
  const conversation =
    options.timeoutMs === undefined
      ? registration
      : defineConversation({ ...registration, timeoutMs: options.timeoutMs });
  const bot = createBot({
    config: {
      storage: options.dir ? 'sqlite' : 'memory',
      access: 'open',
      conversations: [conversation],
      middleware: [
        async (context, next) => {
          if (context.command?.name === 'register') return conversation.enter(context);
          if (context.text === 'ping') return context.reply('pong');
          await next();
        },
      ],
    },
    ...(options.dir ? { dataDir: options.dir } : {}),
    adapters: [test.adapter],
    log: silentLogger,
    terminal: { write: () => true },
  });
  bots.push(bot);
  await bot.start();
  const say = async (text: string, userId = 'ann') =>
    (await test.say(text, { userId })).map((reply) => reply.text);
  return { bot, test, say };
}

describe('conversations', () => {
  it('asks, validates and re-asks, branches, and finishes once', async () => {
    const { say } = await wizardBot();
    expect(await say('/register')).toEqual(['What is your name?']);
    expect(await say('Ann')).toEqual(['How old are you, Ann?']);
    expect(await say('old enough')).toEqual([
      "That doesn't fit. Send your age as a number, like 30.",
      'How old are you, Ann?',
    ]);
    expect(await say('12')).toEqual(['Which school do you go to?']);
    expect(await say('School 5')).toEqual(['Registered Ann, 12, School 5 (#1)']);
    // Finished: the next message goes through the chain as usual.
    expect(await say('ping')).toEqual(['pong']);
  });

  it('keeps one state per user and lets commands through in the middle', async () => {
    const { say } = await wizardBot();
    await say('/register', 'ann');
    await say('/register', 'bob');
    expect(await say('Ann', 'ann')).toEqual(['How old are you, Ann?']);
    expect((await say('/help', 'bob'))[0]).toMatch(/what I can do/);
    expect(await say('Bob', 'bob')).toEqual(['How old are you, Bob?']);
  });

  it('stops on /cancel, and after too many wrong answers', async () => {
    const { bot, say } = await wizardBot();
    await say('/register');
    expect(await say('/cancel')).toEqual(['Cancelled.']);
    expect(await bot.storage.kv.get('test', 'cancelled')).toBe(true);
    expect(await say('/cancel')).toEqual(['There is nothing to cancel.']);
    await say('/register');
    await say('Ann');
    await say('x');
    await say('y');
    expect((await say('z'))[0]).toMatch(/did not work several times/);
    expect(await say('ping')).toEqual(['pong']);
  });

  it('says when an answer comes too late, and handles the message as usual', async () => {
    const { say } = await wizardBot({ timeoutMs: 30 });
    await say('/register');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const replies = await say('Ann');
    expect(replies[0]).toBe('The earlier form timed out, so I dropped it.');
    // The message then goes on through the chain (here: to the no-model fallback).
    expect(replies[1]).toMatch(/don't understand/);
  });

  it('resumes after a restart of the bot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botwire-wizard-'));
    folders.push(dir);
    const first = await wizardBot({ dir });
    await first.say('/register');
    await first.say('Ann');
    await first.bot.stop();
    const second = await wizardBot({ dir });
    expect(await second.say('40')).toEqual(['Which city do you live in?']);
    expect(await second.say('Paris')).toEqual(['Registered Ann, 40, Paris (#1)']);
  });
});

const wizardScript = fileURLToPath(new URL('./fixtures/wizard-bot.ts', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

/** The wizard bot in its own process, answering JSON lines. */
async function wizardProcess(dir: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', wizardScript, dir],
    { cwd: here, stdio: 'pipe' },
  );
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async (): Promise<Record<string, string>> => {
    const next = await lines.next();
    if (next.done) throw new Error(`The wizard process ended early: ${errors}`);
    return JSON.parse(next.value) as Record<string, string>;
  };
  expect(await read()).toEqual({ ready: true });
  return {
    /** Sends a message and returns the replies it produced. */
    async send(text: string): Promise<string[]> {
      child.stdin.write(`${JSON.stringify({ userId: 'ann', text })}\n`);
      const replies: string[] = [];
      for (;;) {
        const line = await read();
        if (line.handled !== undefined) return replies;
        replies.push(line.text!);
      }
    },
    async kill(): Promise<void> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('conversations across SIGKILL', () => {
  it('resumes a three-step wizard after the process is killed at each step', {
    timeout: 90_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botwire-wizard-kill-'));
    folders.push(dir);
    const steps: Array<[string, string[]]> = [
      ['/register', ['What is your name?']],
      ['Ann', ['How old are you, Ann?']],
      ['forty', ["That doesn't fit. Send your age as a number, like 30.", 'How old are you, Ann?']],
      ['40', ['Which city do you live in?']],
      ['Paris', ['Registered Ann, 40, Paris (#1)']],
      ['hello', []],
    ];
    for (const [text, expected] of steps) {
      const bot = await wizardProcess(dir);
      const replies = await bot.send(text);
      await bot.kill();
      if (text === 'hello') {
        // After the wizard, an ordinary message is not taken as an answer.
        expect(replies.join('\n')).not.toMatch(/Registered|How old|city/);
      } else expect(replies).toEqual(expected);
    }
  });
});
