import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '@botwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { hasConsoleAdapter, terminalChatLogging } from './terminal-logging';

describe('terminalChatLogging', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('writes every line to the log file and only warnings and errors to the terminal', () => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-logs-'));
    const terminal: string[] = [];
    const redactor = new Redactor();
    redactor.add('sk-secret-0123456789');
    const { log, file } = terminalChatLogging({
      dataDir: directory,
      level: 'info',
      redactor,
      writeTerminal: (line) => terminal.push(line),
    });
    expect(file).toBe(join(directory, 'logs', 'botwire.log'));
    const adapterLog = log.child({ adapter: 'telegram' });
    log.debug('too quiet');
    log.info('bot-starting', { bot: 'Ada' });
    adapterLog.warn('Telegram is unreachable', { attempt: 1 });
    log.error('message-failed', { error: 'with sk-secret-0123456789' });

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'bot-starting'],
      ['warn', 'Telegram is unreachable'],
      ['error', 'message-failed'],
    ]);
    expect(lines[1]).toMatchObject({ adapter: 'telegram', attempt: 1 });
    expect(terminal).toHaveLength(2);
    expect(terminal[0]).toMatch(
      /^\d\d:\d\d:\d\d warn {2}Telegram is unreachable \{"adapter":"telegram","attempt":1\}$/,
    );
    expect(terminal[1]).toMatch(/error message-failed/);
    expect([...terminal, readFileSync(file, 'utf8')].join('\n')).not.toContain(
      'sk-secret-0123456789',
    );
  });

  it('keeps a quieter configured level on the terminal too', () => {
    directory = mkdtempSync(join(tmpdir(), 'botwire-logs-'));
    const terminal: string[] = [];
    const { log } = terminalChatLogging({
      dataDir: directory,
      level: 'error',
      writeTerminal: (line) => terminal.push(line),
    });
    log.warn('not shown');
    log.error('shown');
    expect(terminal).toHaveLength(1);
  });
});

describe('hasConsoleAdapter', () => {
  it('finds the console by name, package or entry', () => {
    expect(hasConsoleAdapter(['web', 'console'])).toBe(true);
    expect(hasConsoleAdapter([{ use: '@botwire/adapter-console' }])).toBe(true);
    expect(hasConsoleAdapter(['web', 'telegram'])).toBe(false);
    expect(hasConsoleAdapter(undefined)).toBe(false);
  });
});
