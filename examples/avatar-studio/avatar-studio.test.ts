import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { testAdapter } from '@botwire/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The avatar studio example on its embedded defaults (no keys): newcomers get their welcome
 * credits once, pictures are local previews that are charged, avatars can be created (the
 * preview trains), and it speaks Russian and English.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
let dataDir: string;
let bot: Bot;
const chat = testAdapter();
const ann = { userId: 'ann', name: 'Ann', locale: 'en' };
const ivan = { userId: 'ivan', name: 'Иван', locale: 'ru' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botwire-avatar-example-'));
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

describe('the avatar studio example', () => {
  it('gives newcomers 100 credits once and charges a preview picture 5', async () => {
    const [balance] = await chat.say('/balance', ann);
    expect(balance?.text).toMatch(/Your balance: 100 credits/);
    const [picture] = await chat.say('/generate watercolor: a fox in the snow', ann);
    expect(picture?.text).toMatch(/^watercolor: a fox in the snow\nThis is a preview/);
    expect(picture?.artifacts?.[0]?.mimeType).toBe('image/png');
    const [after] = await chat.say('/balance', ann);
    expect(after?.text).toMatch(/Your balance: 95 credits/);
  });

  it('speaks Russian, and starts an avatar on the preview trainer', async () => {
    const [none] = await chat.say('/avatars', ivan);
    expect(none?.text).toMatch(/Аватаров пока нет/);
    const [intro] = await chat.say('/create_avatar', ivan);
    expect(intro?.text).toMatch(/Обучение стоит 50 кредитов \(ваш баланс: 100\)/);
    const [photos] = await chat.say('портрет', ivan);
    expect(photos?.text).toMatch(/Пришлите 10–20 своих фото/);
    const [refused] = await chat.sendFile(
      { name: 'scan.pdf', data: new TextEncoder().encode('%PDF-1.4\n%%EOF\n'), kind: 'document' },
      '',
      ivan,
    );
    expect(refused?.text).toMatch(/Это не фото, а PDF/);
    const [unknown] = await chat.say('/generate барокко: кот', ivan);
    expect(unknown?.text).toMatch(/Стиля «барокко» нет/);
    const [balance] = await chat.say('/balance', ivan);
    expect(balance?.text).toMatch(/Ваш баланс: 100 кредитов/);
  });
});
