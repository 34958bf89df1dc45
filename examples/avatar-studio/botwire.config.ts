import { defineConfig } from '@botwire/core';
import { falImageGenerator } from '@botwire/images-fal';
import { openaiTranscriber } from '@botwire/model-openai';
import { avatarStudio } from '@botwire/skill-avatars/studio';

/**
 * The avatar studio: people train a personal avatar on 10–20 of their photos (/create_avatar),
 * then get pictures of themselves in styles (/generate), voice messages turned into text, and a
 * credit balance they top up with Telegram Stars (/balance, /topup). Open to everyone, in the
 * terminal, the web chat at http://127.0.0.1:3000 and on Telegram when TELEGRAM_BOT_TOKEN is set.
 *
 * With no keys it runs on local previews: pictures are stand-ins labelled PREVIEW, and a
 * "training" ends after 15 seconds. FAL_KEY switches pictures and training to FAL (flux-lora and
 * its LoRA trainer), OPENAI_API_KEY turns on transcription (whisper-1), BOTWIRE_PUBLIC_URL lets
 * FAL report finished trainings to the bot's webhook instead of being polled.
 */
export default defineConfig({
  name: 'Avatar Studio',
  locale: 'ru',
  access: 'open',
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  ...(process.env.FAL_KEY ? { images: falImageGenerator() } : {}),
  ...(process.env.OPENAI_API_KEY ? { transcriber: openaiTranscriber() } : {}),
  skills: [
    {
      use: '@botwire/skill-avatars',
      permissions: ['credits', 'storage'],
      config: {
        // Credits each operation costs.
        prices: { generation: 5, training: 50, transcriptionPerMinute: 1 },
        // What /topup sells for Telegram Stars.
        packs: [
          { credits: 100, stars: 50 },
          { credits: 500, stars: 200 },
        ],
      },
    },
  ],
  extensions: [
    avatarStudio({
      // Everyone starts with enough for one avatar and a few pictures.
      welcomeCredits: 100,
      minPhotos: 10,
      maxPhotos: 20,
    }),
  ],
});
