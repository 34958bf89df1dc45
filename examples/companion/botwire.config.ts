import { defineConfig } from '@botwire/core';
import { companionBond } from '@botwire/skill-companion/bond';

/**
 * The companion (first part of the seed's EvolveAI): a relationship that grows by points from
 * "Незнакомец" to "Intimate", with a tone per level (the model is told it with every message;
 * with no model the companion answers with the level's own phrases), long-term memory of what
 * the user tells about themselves, and the free plan's 50 messages a day. Open to everyone, in
 * the terminal, the web chat at http://127.0.0.1:3000 and on Telegram when TELEGRAM_BOT_TOKEN
 * is set; BOTWIRE_MODEL (openai:… or ollama:…) gives it a model. The premium plan adds voice
 * replies (read by the embedded espeak-ng; `speech: openaiSpeechSynthesizer()` from
 * @botwire/model-openai for OpenAI's voices) and photos for a model that sees pictures.
 */
export default defineConfig({
  name: 'Eva',
  locale: 'ru',
  access: 'open',
  persona:
    'You are Eva, a kind and curious companion. You talk like a person, not an assistant: short messages, real interest in the user, and the tone your relationship level asks for.',
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  skills: [
    // The relationship level and its tone (/level), recalled for the model with every message.
    { use: '@botwire/skill-companion', permissions: ['storage'] },
    // Facts about the user ("запомни, что я люблю джаз", /memory), recalled for the model.
    { use: '@botwire/skill-memory', permissions: ['storage'] },
  ],
  // Every message earns 10 points, at most 200 a day.
  extensions: [companionBond({ pointsPerMessage: 10, dailyPointsCap: 200 })],
  // Plans are roles. Free (everyone): 50 messages a day, the model sees the last 10 messages.
  // Premium (`/role <user id> premium` from the owner): no limits, the whole history window,
  // voice replies and photos (see companionBond's `premium`).
  limits: {
    guest: { messagesPerDay: 50, historyMessages: 10 },
    user: { messagesPerDay: 50, historyMessages: 10 },
    premium: {},
  },
});
