import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterCapabilities,
  type Bot,
  createBot,
  type SkillManifest,
  silentLogger,
} from '@botwire/core';
import { type TestAdapter, testAdapter } from '@botwire/core/testing';
import skill from '../../index';
import { type BankDeskExtension, bankDesk } from '../bank-desk';
import type { BankDeskOptions } from '../desk';

const manifest = JSON.parse(
  readFileSync(new URL('../../../skill.json', import.meta.url), 'utf8'),
) as SkillManifest;

/** A bank bot for the desk's tests: the FAQ skill and the desk, on SQLite in a temp folder. */
export interface DeskBot {
  bot: Bot;
  chat: TestAdapter;
  desk: BankDeskExtension;
  dataDir: string;
  /** Stops the bot and removes its folder. */
  close(): Promise<void>;
}

/** Starts a desk bot on the test adapter; `dataDir` reuses a folder (a restart). */
export async function startDeskBot(
  options: BankDeskOptions = {},
  more: { dataDir?: string; capabilities?: Partial<AdapterCapabilities> } = {},
): Promise<DeskBot> {
  const dataDir = more.dataDir ?? mkdtempSync(join(tmpdir(), 'botwire-desk-'));
  const chat = testAdapter(more.capabilities ?? {});
  const desk = bankDesk(options);
  const bot = createBot({
    config: {
      name: 'Severny Bank',
      storage: 'sqlite',
      access: 'open',
      locale: 'ru',
      skills: [{ use: { manifest, definition: skill }, permissions: ['storage'] }],
      extensions: [desk],
      http: false,
    },
    dataDir,
    adapters: [chat.adapter],
    log: silentLogger,
    env: {},
  });
  await bot.start();
  return {
    bot,
    chat,
    desk,
    dataDir,
    async close() {
      await bot.stop();
      if (!more.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
