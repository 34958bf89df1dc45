import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate-config';
import { silentLogger } from '../logging/logger';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer';
import { type Bot, createBot } from '../runtime/bot';
import { testAdapter } from '../testing/test-adapter';

/**
 * A tool speaks through `context.speech` (the config's `speech`) and returns the audio as the
 * reply's `voice`: a messenger with voice messages gets it as one, another as a `voice.ogg` file.
 */
const manifest = {
  name: 'talker',
  version: '1.0.0',
  description: 'Reads a text aloud.',
  tools: [
    {
      name: 'say_aloud',
      description: 'Reads a text aloud.',
      input_schema: {
        type: 'object',
        properties: { text: { type: 'string', minLength: 1 } },
        required: ['text'],
        additionalProperties: false,
      },
      permissions: [],
      side_effects: false,
      timeout_ms: 10_000,
    },
  ],
  commands: [{ name: 'say', tool: 'say_aloud', argument: 'text', description: 'Read aloud' }],
};

const definition = {
  tools: {
    say_aloud: async ({ text }: { text: string }, context: { speech?: SpeechSynthesizer }) => {
      const spoken = await context.speech!.synthesize({ text, language: 'en' });
      return {
        text: `🔊 ${text}`,
        voice: {
          data: spoken.data,
          mimeType: spoken.mimeType,
          durationSeconds: spoken.durationSeconds,
        },
      };
    },
  },
};

const heard: string[] = [];
const fakeSpeech: SpeechSynthesizer = {
  name: 'fake',
  maxTextLength: 500,
  synthesize: async ({ text }) => {
    heard.push(text);
    return {
      data: new TextEncoder().encode(`OggS:${text}`),
      mimeType: 'audio/ogg',
      durationSeconds: 1.5,
    };
  },
};

describe('voice replies', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  const start = async (voice: boolean) => {
    const chat = testAdapter({ voice });
    bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        http: false,
        speech: fakeSpeech,
        skills: [{ use: { manifest, definition } as never }],
      },
      adapters: [chat.adapter],
      log: silentLogger,
      env: {},
    });
    await bot.start();
    return chat;
  };

  it('sends what the tool spoke as a voice message', async () => {
    const chat = await start(true);
    const [reply] = await chat.say('/say good night');
    expect(heard).toContain('good night');
    expect(reply?.text).toBe('🔊 good night');
    expect(new TextDecoder().decode(reply?.voice?.data)).toBe('OggS:good night');
    expect(reply?.voice?.durationSeconds).toBe(1.5);
    expect(reply?.artifacts).toBeUndefined();
  });

  it('sends it as a voice.ogg file where the messenger has no voice messages', async () => {
    const chat = await start(false);
    const [reply] = await chat.say('/say hello');
    expect(reply?.voice).toBeUndefined();
    expect(reply?.artifacts?.[0]).toMatchObject({ name: 'voice.ogg', mimeType: 'audio/ogg' });
  });

  it('refuses a config whose speech is not a synthesizer', () => {
    const problems = validateConfig({ speech: { say: () => null } });
    expect(problems.map((problem) => problem.message).join('\n')).toMatch(
      /speech must be a speech synthesizer/,
    );
    expect(validateConfig({ speech: fakeSpeech })).toEqual([]);
  });
});
