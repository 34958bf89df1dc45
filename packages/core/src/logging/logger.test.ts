import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { Redactor } from './redact';

describe('logger', () => {
  it('never writes a registered secret or a secret-looking field', () => {
    const lines: string[] = [];
    const redactor = new Redactor();
    redactor.add('sk-live-1234567890');
    const log = createLogger({
      level: 'debug',
      format: 'json',
      write: (line) => lines.push(line),
      redactor,
    });
    log.info('calling with sk-live-1234567890', {
      url: 'https://api.example/?key=sk-live-1234567890',
      apiKey: 'another-secret-value',
      nested: { password: 'hunter22', fine: 'visible' },
      error: new Error('failed for token sk-live-1234567890'),
    });
    const output = lines.join('\n');
    expect(output).not.toContain('sk-live-1234567890');
    expect(output).not.toContain('another-secret-value');
    expect(output).not.toContain('hunter22');
    expect(output).toContain('visible');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      apiKey: '[redacted]',
      nested: { password: '[redacted]' },
    });
  });

  it('picks up secrets from environment variables by name', () => {
    const redactor = new Redactor();
    redactor.addFromEnvironment({ TELEGRAM_BOT_TOKEN: '123456:ABCdef', HOME: '/root' });
    expect(redactor.redactText('token is 123456:ABCdef at /root')).toBe(
      'token is [redacted] at /root',
    );
  });

  it('drops lines below its level and adds child fields', () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'warn',
      format: 'json',
      write: (line) => lines.push(line),
    }).child({ skill: 'pdf' });
    log.info('quiet');
    log.warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'loud', skill: 'pdf' });
  });
});
