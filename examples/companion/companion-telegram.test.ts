import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { telegramAdapter } from '@botwire/adapter-telegram';
import { type BotApiPeer, startBotApiPeer } from '@botwire/adapter-telegram/testing';
import { type Bot, createBot, loadConfig, silentLogger } from '@botwire/core';
import { waitUntil } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The companion example on Telegram (the local Bot API peer), with its embedded defaults: no
 * model, and voice read by espeak-ng and encoded by ffmpeg (both from Debian; `.ci/run`
 * installs them). A premium user hears each answer as an OGG/Opus voice message; a free user
 * gets text alone.
 */
const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL('.', import.meta.url));
const token = '88:COMPANION-token';
const ann = { id: 911, is_bot: false, first_name: 'Анна', language_code: 'ru' };
const bob = { id: 912, is_bot: false, first_name: 'Bob', language_code: 'en' };

describe('the companion example on Telegram', () => {
  let telegram: BotApiPeer | undefined;
  let bot: Bot | undefined;
  let dataDir: string | undefined;
  let messageId = 1;

  afterEach(async () => {
    await bot?.stop();
    await telegram?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    bot = telegram = dataDir = undefined;
  });

  const say = (from: typeof ann, text: string) =>
    telegram!.pushUpdate({
      message: {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from,
        text,
      },
    } as never);
  const sentTo = (method: string, user: typeof ann) =>
    telegram!.callsOf(method).filter((call) => String(call.params.chat_id) === String(user.id));

  it('sends a premium user a voice message (OGG/Opus) with each answer, and a free user text alone', {
    timeout: 60_000,
  }, async () => {
    telegram = await startBotApiPeer(token);
    dataDir = mkdtempSync(join(tmpdir(), 'botwire-companion-'));
    const { config } = await loadConfig(`${exampleDir}botwire.config.ts`, { env: {} });
    bot = createBot({
      config: { ...config, http: false, adapters: [] },
      rootDir: exampleDir,
      dataDir,
      adapters: [
        telegramAdapter({
          token,
          apiRoot: telegram.apiRoot,
          pollDelayMs: 10,
          pollTimeoutSeconds: 1,
          commandMenu: false,
          env: {},
        }),
      ],
      log: silentLogger,
      env: {},
      terminal: { write: () => undefined },
    });
    await bot.start();
    // The owner makes Ann premium (`/role <id> premium` does the same).
    const user = await bot.storage.users.resolve(
      { platform: 'telegram', platformId: String(ann.id) },
      { name: ann.first_name },
    );
    await bot.storage.users.update(user.id, { role: 'premium' });

    say(ann, 'Привет! Как дела?');
    say(bob, 'Hello!');
    await waitUntil(
      () => sentTo('sendVoice', ann).length === 1 && sentTo('sendMessage', bob).length === 1,
      'the answers',
      30_000,
    );
    expect(String(sentTo('sendMessage', ann)[0]?.params.text)).toBe(
      'Интересно. А чем вы занимаетесь в свободное время?',
    );
    expect(sentTo('sendVoice', bob)).toHaveLength(0);

    const voice = sentTo('sendVoice', ann)[0]!;
    const bytes = voice.files.voice!.bytes;
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('OggS');
    expect(Buffer.from(bytes).includes(Buffer.from('OpusHead'))).toBe(true);
    expect(Number(voice.params.duration)).toBeGreaterThanOrEqual(1);
    const file = join(dataDir, 'voice.ogg');
    writeFileSync(file, bytes);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name:format=format_name,duration',
      '-of',
      'json',
      file,
    ]);
    const probe = JSON.parse(stdout) as {
      streams: Array<{ codec_name: string }>;
      format: { format_name: string; duration: string };
    };
    expect(probe.streams.map((stream) => stream.codec_name)).toEqual(['opus']);
    expect(probe.format.format_name).toBe('ogg');
    expect(Number(probe.format.duration)).toBeGreaterThan(1);
  });
});
