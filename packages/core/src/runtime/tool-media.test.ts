import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import type { ImageGenerator } from '../ports/image-generator';
import type { Transcriber } from '../ports/transcriber';
import { defineSkill, type ToolContext } from '../skills/define-skill';
import { testAdapter } from '../testing/test-adapter';
import { createBot } from './bot';

/** A skill whose tool tells which image generator and transcriber it was given. */
const mediaSkill = {
  use: {
    manifest: {
      name: 'media',
      version: '1.0.0',
      description: 'Draws.',
      tools: [
        {
          name: 'draw',
          description: 'Draws a cat.',
          input_schema: { type: 'object', properties: {} },
          permissions: [],
          side_effects: false,
          timeout_ms: 10_000,
        },
      ],
    },
    definition: defineSkill({
      tools: {
        draw: async (_input: object, context: ToolContext) => {
          const [image] = await context.images!.generate({
            prompt: 'a cat',
            size: { width: 64, height: 64 },
          });
          return {
            images: context.images!.name,
            preview: image!.preview === true,
            transcriber: context.transcriber?.name ?? null,
          };
        },
      },
    }),
  },
  permissions: [],
};

async function draw(config: { images?: ImageGenerator; transcriber?: Transcriber }) {
  const bot = createBot({
    config: { storage: 'memory', access: 'open', http: false, skills: [mediaSkill], ...config },
    adapters: [testAdapter().adapter],
    log: silentLogger,
    env: {},
  });
  await bot.start();
  try {
    return await bot.callTool('draw', {});
  } finally {
    await bot.stop();
  }
}

describe('images and speech for tools', () => {
  it('gives tools local previews when the config names no image generator, and no transcriber', async () => {
    expect(await draw({})).toEqual({ images: 'preview', preview: true, transcriber: null });
  });

  it('gives tools the configured image generator and transcriber', async () => {
    const images: ImageGenerator = {
      name: 'studio',
      maxPromptLength: 100,
      generate: async () => [
        { data: new Uint8Array([1]), mimeType: 'image/png', width: 1, height: 1 },
      ],
    };
    const transcriber: Transcriber = {
      name: 'ears',
      maxBytes: 10,
      transcribe: async () => ({ text: '' }),
    };
    expect(await draw({ images, transcriber })).toEqual({
      images: 'studio',
      preview: false,
      transcriber: 'ears',
    });
  });
});
