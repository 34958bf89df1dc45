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
  skills: [
    // Web search and page reading (/search, /fetch, "search for ...", "найди ..."); every request
    // goes through the egress policy: private addresses are blocked unless BOTWIRE_EGRESS_ALLOW
    // or egress.allow lists them (docs/reference/egress.md).
    { use: '@botwire/skill-web-search', permissions: ['network'] },
    // Markdown → PDF files (/pdf, "make a pdf: ..."); a pure function, so no permissions.
    { use: '@botwire/skill-pdf', permissions: [] },
    // Pages in a headless Chromium (/browse, /screenshot, /webpdf, "screenshot of <url>"); every
    // request of the page goes through the same egress policy (docs/guides/skills/browser.md).
    { use: '@botwire/skill-browser', permissions: ['browser'] },
    // Long-term memory ("remember that …", "запомни, что …", /memory, /forget, /timezone): facts
    // about each user, recalled for the model; facts from web pages wait for /memory review.
    { use: '@botwire/skill-memory', permissions: ['storage'] },
    // Documents the user sends (PDF, DOCX, TXT, Markdown, HTML): searched with citations
    // (/doc_search, "что в моём договоре про штрафы?", /docs).
    { use: '@botwire/skill-documents', permissions: ['storage'] },
    // Reminders and scheduled tasks in plain language, in the user's time zone ("напомни завтра в
    // 9 позвонить маме", /reminders; "каждый день в 9:00 курс валют и погода" runs then as if the
    // user had asked); the bot's job queue fires them (docs/guides/skills/cron.md).
    { use: '@botwire/skill-cron', permissions: ['schedule'] },
    // Python in a sandbox (/py, a ```python block```, and in plans: "посчитай сложные проценты",
    // "the mean of this CSV"): Pyodide in child processes with no network, no host files and
    // no processes; set `sandbox: dockerSandbox()` for Docker (docs/guides/python-sandbox.md).
    { use: '@botwire/skill-python', permissions: ['execute-code'] },
    // Outside APIs from their OpenAPI document ("connect API <url> as <name> token <token>",
    // /connect, /integrations, /disconnect): each operation becomes a tool, the token is kept
    // encrypted (`botwire secrets list`), and every request goes through the same egress policy,
    // so an API on this machine needs BOTWIRE_EGRESS_ALLOW=127.0.0.1 (see demo-api/, the README).
    { use: '@botwire/skill-integrations', permissions: ['network', 'storage', 'secrets'] },
  ],
});
