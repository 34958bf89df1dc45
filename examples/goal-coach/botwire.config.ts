import { defineConfig } from '@botwire/core';

/**
 * The goal coach: people set goals, check in when they make progress, and earn points, levels
 * and streaks counted in their own time zone; a reminder comes every day at the time they chose,
 * and a summary of the week every Sunday at 19:00 their time. Open to everyone, in the terminal,
 * the web chat at http://127.0.0.1:3000 and on Telegram when TELEGRAM_BOT_TOKEN is set. With no
 * model it runs on commands and phrases; BOTWIRE_MODEL (openai:… or ollama:…) adds a coach's
 * words to the weekly summary and free conversation.
 */
export default defineConfig({
  name: 'Goal Coach',
  locale: 'ru',
  access: 'open',
  persona:
    'You are a warm, practical goal coach. You help people keep small daily promises to themselves, praise progress, and suggest one concrete next step.',
  // Users who did not tell their city (/setup) count their days in Moscow time.
  defaultTimezone: 'Europe/Moscow',
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  skills: [{ use: '@botwire/skill-goals', permissions: ['storage', 'schedule'] }],
});
