import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { testAdapter } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bank FAQ example: `botwire tools call faq_answer` on its config prints the three fields
 * and exits 0; in a chat with no model, a question gets the entry's text and its source, and a
 * question about the customer's own account is handed off.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;
let bot: Bot;
const chat = testAdapter();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-bank-faq-'));
  const { config } = await loadConfig(join(here, 'botwire.config.ts'), { env: {} });
  bot = createBot({
    config: { ...config, http: false, adapters: [] },
    rootDir: here,
    dataDir,
    adapters: [chat.adapter],
    log: silentLogger,
    env: {},
  });
  await bot.start();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the bank FAQ example', () => {
  it('prints answer, citations and handoff from `botwire tools call faq_answer`, exit 0', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'packages/cli/dist/bin.js'),
        'tools',
        'call',
        'faq_answer',
        '--args',
        '{"question":"карту украли что делать"}',
        '--config',
        join(here, 'botwire.config.ts'),
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, BOTWIRE_DATA_DIR: dataDir },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(['answer', 'citations', 'handoff']);
    expect(printed.handoff).toBe(false);
    expect((printed.citations as Array<{ id: string }>)[0]?.id).toMatch(/^card-/);
  }, 90_000);

  it('answers in the chat with the source, and hands off a question about the account', async () => {
    const [answer] = await chat.say('кредитку потерял, как заблокировать?');
    expect(answer?.text).toMatch(/Источник: /);
    const [handoff] = await chat.say('почему вчера списали 5000 рублей?');
    expect(handoff?.text).toMatch(/модератор/);
    expect(handoff?.text).not.toMatch(/Источник/);
  });
});
