import { Redactor } from './redact';

/** Log levels, quietest last. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const levelRank: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

/** A structured logger. Every field passes through the redactor before it is written. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line (for example `{ skill: 'pdf' }`). */
  child(fields: Record<string, unknown>): Logger;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  /** `pretty` for people (default on a TTY), `json` for log collectors. */
  format?: 'pretty' | 'json';
  /** Where lines go; defaults to standard error, so standard output stays for replies and JSON. */
  write?: (line: string) => void;
  redactor?: Redactor;
}

/**
 * Creates a logger that writes one line per event to standard error, secrets redacted.
 *
 * @example
 * const log = createLogger({ level: 'debug' });
 * log.info('tool-call-finished', { tool: 'web_fetch', ms: 120 });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.BOTWIRE_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redactor = options.redactor ?? new Redactor();
  const threshold = levelRank[level] ?? levelRank.info;

  const make = (bound: Record<string, unknown>): Logger => {
    const emit = (
      lineLevel: Exclude<LogLevel, 'silent'>,
      message: string,
      fields?: Record<string, unknown>,
    ) => {
      if (levelRank[lineLevel] < threshold) return;
      const all = redactor.redact({ ...bound, ...fields }) as Record<string, unknown>;
      const text = redactor.redactText(message);
      if (format === 'json') {
        write(
          JSON.stringify({
            time: new Date().toISOString(),
            level: lineLevel,
            message: text,
            ...all,
          }),
        );
      } else {
        const extra = Object.keys(all).length ? ` ${JSON.stringify(all)}` : '';
        write(`${new Date().toISOString().slice(11, 19)} ${lineLevel.padEnd(5)} ${text}${extra}`);
      }
    };
    return {
      debug: (message, fields) => emit('debug', message, fields),
      info: (message, fields) => emit('info', message, fields),
      warn: (message, fields) => emit('warn', message, fields),
      error: (message, fields) => emit('error', message, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

/** A logger that drops everything (for tests and library callers that pass none). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
