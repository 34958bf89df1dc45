import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import type { Middleware } from '../middleware/composer';
import { testAdapter } from '../testing/test-adapter';
import { type Bot, createBot } from './bot';
import type { BotContext } from './bot-context';
import { insertStep } from './chain-steps';

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

describe('the chain', () => {
  it('is a list of named steps in the documented order', async () => {
    const bot = createBot({ config: { storage: 'memory' }, log: silentLogger });
    bots.push(bot);
    await bot.init();
    expect(bot.chain).toEqual([
      'identify-sender',
      'access-control',
      'record-message',
      'payments',
      'builtin-commands',
      'budget',
      'user-middleware',
      'conversations',
      'background-request',
      'pending-confirmation',
      'rules-planner',
      'model-planner',
      'fallback',
    ]);
  });

  it('lets a bot builder put a rate limit ahead of every storage write', async () => {
    let seen = 0;
    const identifiedBefore: boolean[] = [];
    const limiter: Middleware<BotContext> = async (context, next) => {
      seen += 1;
      if (seen > 2) return; // dropped before anything is resolved or stored
      // Recorded, not asserted here: the chain's error boundary would swallow a failed expect.
      identifiedBefore.push(context.identified);
      await next();
    };
    const test = testAdapter();
    const bot = createBot({
      config: {
        storage: 'memory',
        access: 'open',
        chain: (steps) =>
          insertStep(
            steps,
            { before: 'identify-sender' },
            { name: 'rate-limit', middleware: limiter },
          ),
      },
      adapters: [test.adapter],
      log: silentLogger,
      terminal: { write: () => true },
    });
    bots.push(bot);
    await bot.start();
    expect(bot.chain.slice(0, 2)).toEqual(['rate-limit', 'identify-sender']);
    await test.say('/whoami', { userId: 'a' });
    await test.say('/whoami', { userId: 'b' });
    expect(await test.say('/whoami', { userId: 'c' })).toEqual([]);
    expect(identifiedBefore).toEqual([false, false]);
    const users = await bot.storage.users.list();
    expect(users.map((user) => user.identities[0]?.platformId).sort()).toEqual(['a', 'b']);
  });

  it('names a missing step when inserting next to it', () => {
    expect(() =>
      insertStep([], { after: 'acess-control' }, { name: 'x', middleware: () => {} }),
    ).toThrow(/no step named "acess-control"/);
  });
});

describe('the core source', () => {
  it('has no file but the entry points, tests and fixtures importing runtime/bot.ts', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const offenders: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        // Test fixtures are test code: they may build a whole bot.
        if (entry.isDirectory()) {
          if (entry.name !== 'fixtures') walk(path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const imports = readFileSync(path, 'utf8').match(/from '[^']*\/bot'/g) ?? [];
          const file = relative(root, path);
          if (imports.length && !['index.ts', 'testing/index.ts'].includes(file))
            offenders.push(file);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
