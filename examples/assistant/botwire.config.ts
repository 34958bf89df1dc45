import { defineConfig } from '@botwire/core';

/**
 * The self-hosted assistant: `pnpm start` at the repo root runs it.
 * It loads every skill of this repository; each later skill package adds itself here
 * with the permissions it needs.
 */
export default defineConfig({
  name: 'Assistant',
  locale: 'en',
  // Private by default: the terminal's user is the owner; others need the claim code or /admit.
  access: 'owner',
  adapters: ['console'],
  skills: [],
});
