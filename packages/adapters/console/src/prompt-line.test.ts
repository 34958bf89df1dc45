import { PassThrough, Writable } from 'node:stream';
import { memoryStorage, silentLogger } from '@botwire/core';
import { scopeKeyValueStore } from '@botwire/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleAdapter } from './console-adapter';
import { attachPromptLine, writeAbovePrompt } from './prompt-line';

function screen() {
  const chunks: string[] = [];
  const output = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { output, text: () => chunks.join(''), clear: () => chunks.splice(0) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('writeAbovePrompt', () => {
  let detach: (() => void) | undefined;
  afterEach(() => detach?.());

  it('writes a plain line when no terminal chat is on screen', () => {
    const { output, text } = screen();
    writeAbovePrompt('12:00:00 warn  careful', output);
    expect(text()).toBe('12:00:00 warn  careful\n');
  });

  it('clears the prompt line, writes, and redraws the prompt only while it waits', () => {
    const { output, text, clear } = screen();
    let redraws = 0;
    let waiting = true;
    detach = attachPromptLine({
      get waiting() {
        return waiting;
      },
      redraw: () => {
        redraws += 1;
      },
    });
    writeAbovePrompt('first', output);
    expect(text()).toBe('\r\x1b[Kfirst\n');
    expect(redraws).toBe(1);
    clear();
    waiting = false;
    writeAbovePrompt('second', output);
    expect(text()).toBe('\r\x1b[Ksecond\n');
    expect(redraws).toBe(1);
  });
});

describe('interactive console adapter with a warning written meanwhile', () => {
  it('keeps what the person has typed and draws the prompt again below the warning', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const { output, text, clear } = screen();
    const adapter = consoleAdapter({ input, output, interactive: true, userName: 'ann' });
    const received: string[] = [];
    await adapter.start({
      receive: async (message) => {
        received.push(message.text);
        await tick();
      },
      end: () => {},
      commands: () => [],
      dataDir: '/nonexistent',
      http: () => {
        throw new Error('no HTTP server');
      },
      kv: scopeKeyValueStore(memoryStorage().kv, 'adapter:console'),
      log: silentLogger,
    });
    try {
      expect(text()).toContain('you › ');
      input.write('hel');
      await tick();
      clear();
      writeAbovePrompt('06:00:00 warn  Telegram is unreachable', output);
      const redrawn = text();
      expect(redrawn.startsWith('\r\x1b[K06:00:00 warn  Telegram is unreachable\n')).toBe(true);
      // The prompt and the half-typed message come back below the warning.
      expect(redrawn.slice(redrawn.indexOf('\n') + 1)).toContain('you › hel');

      // While the bot works on a message, no prompt is drawn under a warning.
      input.write('lo\r');
      await new Promise((resolve) => setImmediate(resolve));
      expect(received).toEqual(['hello']);
      clear();
      writeAbovePrompt('06:00:01 error something failed', output);
      expect(text()).toBe('\r\x1b[K06:00:01 error something failed\n');
    } finally {
      await adapter.stop();
    }
    // Once stopped, a warning is a plain line again.
    clear();
    writeAbovePrompt('late', output);
    expect(text()).toBe('late\n');
  });
});
