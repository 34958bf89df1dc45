import { defineConfig } from '@botwire/core';

/**
 * The self-hosted assistant: `pnpm start` at the repo root runs it.
 * It loads every skill of this repository; each later skill package adds itself here
 * with the permissions it needs.
 */
export default defineConfig({
  name: 'Assistant',
  locale: 'en',
  // Private by default: the terminal's user is the owner, and so is whoever signs in to the web
  // chat with the owner token; others need the claim code, an invitation or /admit.
  access: 'owner',
  // The terminal, and the web chat at http://127.0.0.1:3000 (it serves until the bot is stopped);
  // Telegram too whenever TELEGRAM_BOT_TOKEN is set (see docs/guides/telegram.md).
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  skills: [],
});
