import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createBot, memoryStorage, silentLogger } from '@botwire/core';
import { runAdapterContract } from '@botwire/core/contract-suites';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import { consoleAdapter } from './console-adapter';

function streams() {
  const input = new PassThrough();
  const chunks: string[] = [];
  const output = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { input, output, chunks };
}

runAdapterContract('console', async () => {
  const { input, output, chunks } = streams();
  const adapter = consoleAdapter({
    input,
    output,
    interactive: false,
    userName: 'ann',
    locale: 'en',
  });
  return {
    adapter,
    userSends: async (text) => {
      input.write(`${text}\n`);
    },
    seenTexts: async () => chunks.map((chunk) => chunk.replace(/\n$/, '')),
  };
});

describe('console adapter with a bot', () => {
  it('answers piped lines in order, as the owner, and ends at the end of input', async () => {
    const { input, output, chunks } = streams();
    const bot = createBot({
      config: { storage: 'memory', name: 'Ada' },
      adapters: [
        consoleAdapter({ input, output, interactive: false, userName: 'ann', locale: 'en' }),
      ],
      log: silentLogger,
    });
    await bot.start();
    input.end('/whoami\n\n/start\nhello\n');
    await bot.finished;
    await bot.stop();
    const text = chunks.join('');
    expect(text).toMatch(/Your id: usr_\w+\nRole: owner/);
    expect(text.indexOf('Role: owner')).toBeLessThan(text.indexOf('Hello, ann! I am Ada.'));
    expect(text).toContain("I don't understand that yet: without a language model");
  });

  it('answers in Russian when the terminal is Russian', async () => {
    const { input, output, chunks } = streams();
    const bot = createBot({
      config: { storage: 'memory' },
      adapters: [consoleAdapter({ input, output, interactive: false, locale: 'ru_RU' })],
      log: silentLogger,
    });
    await bot.start();
    input.end('/help\n');
    await bot.finished;
    await bot.stop();
    expect(chunks.join('')).toContain('что я умею');
  });

  it('saves files the bot sends and says where', async () => {
    const { input, output, chunks } = streams();
    const directory = mkdtempSync(join(tmpdir(), 'botwire-console-'));
    try {
      const adapter = consoleAdapter({ input, output, interactive: false, artifactDir: directory });
      await adapter.start({
        receive: async () => {},
        end: () => {},
        commands: () => [],
        dataDir: directory,
        http: () => {
          throw new Error('the console adapter needs no HTTP server');
        },
        kv: scopeKeyValueStore(memoryStorage().kv, 'adapter:console'),
        log: silentLogger,
      });
      await adapter.send(
        { platformId: 'console', type: 'private' },
        {
          text: 'Here it is',
          artifacts: [
            {
              name: 'note.txt',
              mimeType: 'text/plain',
              data: new TextEncoder().encode('hi there'),
            },
          ],
        },
      );
      await adapter.stop();
      const line = chunks.find((chunk) => chunk.startsWith('[file] note.txt'));
      expect(line).toBeDefined();
      const path = /saved to (.+)\n/.exec(line!)?.[1];
      expect(readFileSync(path!, 'utf8')).toBe('hi there');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
