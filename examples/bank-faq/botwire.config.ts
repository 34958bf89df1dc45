import { defineConfig } from '@botwire/core';
import { bankDesk } from '@botwire/skill-banking-faq/desk';

/**
 * The bank's FAQ bot (Severny Bank, a made-up bank): open to everyone, in the terminal and the
 * web chat at http://127.0.0.1:3000, and on Telegram whenever TELEGRAM_BOT_TOKEN is set.
 * Customers ask in their own words and get the knowledge base's answer with its source;
 * `/start` registers them with their phone number (Telegram's contact button), `/help` calls a
 * moderator, `/end` ends the chat with one. Moderators and admins have `/broadcast` and
 * `/admin`. Replace knowledge/*.md with your bank's knowledge base (see the README).
 */
export default defineConfig({
  name: 'Severny Bank',
  locale: 'ru',
  access: 'open',
  adapters: ['console', 'web', ...(process.env.TELEGRAM_BOT_TOKEN ? ['telegram'] : [])],
  skills: [
    {
      use: '@botwire/skill-banking-faq',
      permissions: ['storage'],
      config: {
        knowledge: ['knowledge/knowledge.ru.md', 'knowledge/knowledge.en.md'],
        synonyms: 'knowledge/synonyms.txt',
      },
    },
  ],
  extensions: [
    bankDesk({
      // Minutes a ticket waits for a moderator before the customer is told so.
      ticketTimeoutMinutes: 10,
      // Customers must share their phone number with /start before they can open a ticket.
      ticketsNeedRegistration: true,
    }),
  ],
});
