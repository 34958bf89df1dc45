import { describe, expect, it } from 'vitest';
import { OutgoingDegrader } from '../adapters/degrade-outgoing';
import { validateConfig } from '../config/validate-config';
import { silentLogger } from '../logging/logger';
import { memoryStorage } from '../storage/drivers/memory';
import { testAdapter } from '../testing/test-adapter';
import { createBot } from './bot';
import type { BotExtension } from './bot-extension';
import type { BotServices } from './bot-services';
import { insertStep } from './chain-steps';

describe('bot extensions', () => {
  it('add chain steps, start after the adapters with the services, and stop first', async () => {
    const events: string[] = [];
    let services: BotServices | undefined;
    const chat = testAdapter();
    const extension: BotExtension = {
      name: 'desk',
      commands: [
        { name: 'help', description: { en: 'call a moderator', ru: 'позвать модератора' } },
      ],
      chain: (steps) =>
        insertStep(
          steps,
          { before: 'builtin-commands' },
          {
            name: 'desk',
            middleware: async (context, next) => {
              if (context.text === 'desk?') return context.reply('desk here');
              return next();
            },
          },
        ),
      start: (given) => {
        services = given;
        events.push(`start:${given.adapter('test') ? 'adapter running' : 'no adapter'}`);
      },
      stop: () => {
        events.push('stop');
      },
    };
    const bot = createBot({
      config: { storage: 'memory', access: 'open', extensions: [extension], http: false },
      adapters: [chat.adapter],
      log: silentLogger,
      env: {},
    });
    await bot.start();
    expect(bot.chain.indexOf('desk')).toBe(bot.chain.indexOf('builtin-commands') - 1);
    expect(events).toEqual(['start:adapter running']);
    const help = bot.commands().filter((command) => command.name === 'help');
    expect(help).toEqual([
      { name: 'help', description: { en: 'call a moderator', ru: 'позвать модератора' } },
    ]);
    expect(services?.secrets?.()).toBeDefined();
    const [reply] = await chat.say('desk?');
    expect(reply?.text).toBe('desk here');
    await bot.stop();
    expect(events).toEqual(['start:adapter running', 'stop']);
  });

  it('are checked in the config: a list of objects with a name and function hooks', () => {
    expect(validateConfig({ extensions: [{ name: 'desk', start: () => {} }] })).toEqual([]);
    expect(validateConfig({ extensions: {} })[0]?.path).toBe('extensions');
    expect(validateConfig({ extensions: [{ start: () => {} }] })[0]?.path).toBe('extensions[0]');
    expect(validateConfig({ extensions: [{ name: 'x', stop: 'later' }] })[0]?.path).toBe(
      'extensions[0].stop',
    );
    expect(validateConfig({ chain: (steps: unknown) => steps })).toEqual([]);
    expect(validateConfig({ chain: 'reversed' })[0]?.path).toBe('chain');
  });
});

describe('what only some messengers show', () => {
  it('reaches adapters that can show it and is left out elsewhere', async () => {
    const storage = memoryStorage();
    await storage.open();
    const degrader = new OutgoingDegrader(storage.kv);
    const message = { text: 'Share your number', requestContact: { label: 'Share' } };
    const base = { buttons: true, markdown: true, files: true, maxTextLength: 4096 };
    expect(await degrader.degrade({ ...base, contactRequest: true }, 'c1', message)).toEqual(
      message,
    );
    expect(await degrader.degrade(base, 'c1', message)).toEqual({ text: 'Share your number' });
  });

  it('leaves an invoice out where the messenger takes no payments', async () => {
    const storage = memoryStorage();
    await storage.open();
    const degrader = new OutgoingDegrader(storage.kv);
    const invoice = {
      title: '100 credits',
      description: 'd',
      payload: 'p',
      currency: 'XTR',
      amount: 50,
    };
    const base = { buttons: true, markdown: true, files: true, maxTextLength: 4096 };
    const message = { text: 'Top up', invoice };
    expect(await degrader.degrade({ ...base, payments: true }, 'c1', message)).toEqual(message);
    expect(await degrader.degrade(base, 'c1', message)).toEqual({ text: 'Top up' });
  });
});
