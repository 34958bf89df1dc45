import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@botwire\/core\/contract-suites$/,
        replacement: here('./packages/core/src/contracts/index.ts'),
      },
      {
        find: /^@botwire\/core\/testing$/,
        replacement: here('./packages/core/src/testing/index.ts'),
      },
      { find: /^@botwire\/core$/, replacement: here('./packages/core/src/index.ts') },
      {
        find: /^@botwire\/adapter-console$/,
        replacement: here('./packages/adapters/console/src/index.ts'),
      },
      {
        find: /^@botwire\/adapter-discord\/testing$/,
        replacement: here('./packages/adapters/discord/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/adapter-discord$/,
        replacement: here('./packages/adapters/discord/src/index.ts'),
      },
      {
        find: /^@botwire\/adapter-web$/,
        replacement: here('./packages/adapters/web/src/index.ts'),
      },
      {
        find: /^@botwire\/adapter-telegram\/testing$/,
        replacement: here('./packages/adapters/telegram/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/adapter-telegram$/,
        replacement: here('./packages/adapters/telegram/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-browser$/,
        replacement: here('./packages/skills/browser/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-pdf$/,
        replacement: here('./packages/skills/pdf/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-web-search$/,
        replacement: here('./packages/skills/web-search/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-cron$/,
        replacement: here('./packages/skills/cron/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-memory$/,
        replacement: here('./packages/skills/memory/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-documents$/,
        replacement: here('./packages/skills/documents/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-python$/,
        replacement: here('./packages/skills/python/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-integrations$/,
        replacement: here('./packages/skills/integrations/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-companion\/bond$/,
        replacement: here('./packages/skills/companion/src/bond/index.ts'),
      },
      {
        find: /^@botwire\/skill-companion$/,
        replacement: here('./packages/skills/companion/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-goals$/,
        replacement: here('./packages/skills/goals/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-avatars\/studio$/,
        replacement: here('./packages/skills/avatars/src/studio/index.ts'),
      },
      {
        find: /^@botwire\/skill-avatars$/,
        replacement: here('./packages/skills/avatars/src/index.ts'),
      },
      {
        find: /^@botwire\/skill-banking-faq\/desk$/,
        replacement: here('./packages/skills/banking-faq/src/desk/index.ts'),
      },
      {
        find: /^@botwire\/skill-banking-faq$/,
        replacement: here('./packages/skills/banking-faq/src/index.ts'),
      },
      {
        find: /^@botwire\/vector-qdrant\/testing$/,
        replacement: here('./packages/vectors/qdrant/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/vector-qdrant$/,
        replacement: here('./packages/vectors/qdrant/src/index.ts'),
      },
      {
        find: /^@botwire\/queue-bullmq\/testing$/,
        replacement: here('./packages/queues/bullmq/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/queue-bullmq$/,
        replacement: here('./packages/queues/bullmq/src/index.ts'),
      },
      {
        find: /^@botwire\/storage-mongo\/testing$/,
        replacement: here('./packages/storage/mongo/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/storage-mongo$/,
        replacement: here('./packages/storage/mongo/src/index.ts'),
      },
      {
        find: /^@botwire\/sandbox-pyodide$/,
        replacement: here('./packages/sandboxes/pyodide/src/index.ts'),
      },
      {
        find: /^@botwire\/sandbox-docker\/testing$/,
        replacement: here('./packages/sandboxes/docker/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/sandbox-docker$/,
        replacement: here('./packages/sandboxes/docker/src/index.ts'),
      },
      {
        find: /^@botwire\/model-openai\/testing$/,
        replacement: here('./packages/models/openai/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/model-openai$/,
        replacement: here('./packages/models/openai/src/index.ts'),
      },
      {
        find: /^@botwire\/model-ollama\/testing$/,
        replacement: here('./packages/models/ollama/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/model-ollama$/,
        replacement: here('./packages/models/ollama/src/index.ts'),
      },
      {
        find: /^@botwire\/images-fal\/testing$/,
        replacement: here('./packages/images/fal/src/testing/index.ts'),
      },
      {
        find: /^@botwire\/images-fal$/,
        replacement: here('./packages/images/fal/src/index.ts'),
      },
    ],
  },
  test: {
    include: [
      'packages/**/*.test.ts',
      'examples/**/*.test.ts',
      'docs/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/.tmp/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
