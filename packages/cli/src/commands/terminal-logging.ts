import { mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeAbovePrompt } from '@botwire/adapter-console';
import {
  type AdapterEntry,
  createLogger,
  type Logger,
  type LogLevel,
  type Redactor,
} from '@botwire/core';

/** Options for {@link terminalChatLogging}. */
export interface TerminalChatLoggingOptions {
  /** The bot's data directory; the log file is `<dataDir>/logs/botwire.log`. */
  dataDir: string;
  /** The level of the log file. Default: `BOTWIRE_LOG_LEVEL`, else `info`. */
  level?: LogLevel;
  /** The log file's format. Default `json`. */
  format?: 'pretty' | 'json';
  redactor?: Redactor;
  /** Writes a warning for the person at the terminal. Default: above the console chat's prompt. */
  writeTerminal?: (line: string) => void;
}

/** The logger of a terminal chat and where its file is. */
export interface TerminalChatLogging {
  log: Logger;
  file: string;
}

const levels: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Logging for a chat in this terminal, so that log lines and the conversation do not
 * interleave: every line goes to `<dataDir>/logs/botwire.log`, and only warnings and errors
 * reach the terminal, written above the prompt, which is then drawn again.
 */
export function terminalChatLogging(options: TerminalChatLoggingOptions): TerminalChatLogging {
  const level =
    options.level ?? (process.env.BOTWIRE_LOG_LEVEL as LogLevel | undefined) ?? ('info' as const);
  const directory = join(options.dataDir, 'logs');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'botwire.log');
  // Written synchronously, so that nothing is lost when the process exits by force.
  const descriptor = openSync(file, 'a');
  const toFile = createLogger({
    level,
    format: options.format ?? 'json',
    write: (line) => writeSync(descriptor, `${line}\n`),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  const toTerminal = createLogger({
    level: louder(level, 'warn'),
    format: 'pretty',
    write: options.writeTerminal ?? ((line) => writeAbovePrompt(line)),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  return { log: bothLoggers(toFile, toTerminal), file };
}

/** True when the config's adapters include the console (by name, package or object). */
export function hasConsoleAdapter(entries: readonly AdapterEntry[] | undefined): boolean {
  return (entries ?? []).some((entry) => {
    const name =
      typeof entry === 'string'
        ? entry
        : 'start' in entry
          ? entry.name
          : (entry as { use: string }).use;
    return name === 'console' || name === '@botwire/adapter-console';
  });
}

function louder(level: LogLevel, floor: LogLevel): LogLevel {
  return levels.indexOf(level) > levels.indexOf(floor) ? level : floor;
}

/** A logger that writes every line through both loggers. */
function bothLoggers(first: Logger, second: Logger): Logger {
  return {
    debug: (message, fields) => {
      first.debug(message, fields);
      second.debug(message, fields);
    },
    info: (message, fields) => {
      first.info(message, fields);
      second.info(message, fields);
    },
    warn: (message, fields) => {
      first.warn(message, fields);
      second.warn(message, fields);
    },
    error: (message, fields) => {
      first.error(message, fields);
      second.error(message, fields);
    },
    child: (fields) => bothLoggers(first.child(fields), second.child(fields)),
  };
}
