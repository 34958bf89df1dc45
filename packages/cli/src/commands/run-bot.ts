import { writeAbovePrompt } from '@botwire/adapter-console';
import { type Adapter, type Bot, createBot, loadConfig, Redactor } from '@botwire/core';
import { printError } from '../output';
import { GracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';
import { hasConsoleAdapter, terminalChatLogging } from './terminal-logging';

/** Options for {@link botFromConfig}. */
export interface BotFromConfigOptions {
  /** Adapters that replace the config's (the `chat` command's console). */
  adapters?: Adapter[];
  /**
   * The bot will run (`start`, `chat`): when a console chat is then on an interactive terminal,
   * logs go to `<dataDir>/logs/botwire.log` and only warnings and errors show above the prompt.
   */
  running?: boolean;
}

/**
 * Loads the config and creates a bot from it, optionally with other adapters.
 * Every value that `.env` set is treated as a secret: it is redacted from all logs.
 */
export async function botFromConfig(
  configPath: string | undefined,
  options: BotFromConfigOptions = {},
): Promise<Bot> {
  const loaded = await loadConfig(configPath);
  const redactor = new Redactor();
  redactor.add(...loaded.envNames.map((name) => process.env[name]));
  const { adapters } = options;
  const chatInTerminal =
    options.running === true &&
    Boolean(process.stdin.isTTY) &&
    (adapters
      ? adapters.some((adapter) => adapter.name === 'console')
      : hasConsoleAdapter(loaded.config.adapters));
  let log: ReturnType<typeof terminalChatLogging> | undefined;
  if (chatInTerminal) {
    log = terminalChatLogging({
      dataDir: loaded.dataDir,
      redactor,
      ...(loaded.config.log?.level ? { level: loaded.config.log.level } : {}),
      ...(loaded.config.log?.format ? { format: loaded.config.log.format } : {}),
    });
    printError(`Logs go to ${log.file}; warnings and errors show here too.`);
  }
  return createBot({
    config: loaded.config,
    rootDir: loaded.rootDir,
    dataDir: loaded.dataDir,
    redactor,
    ...(adapters ? { adapters } : {}),
    ...(log ? { log: log.log } : {}),
    // In a terminal chat the start-up banner goes above the prompt, which is then drawn again.
    ...(chatInTerminal
      ? { terminal: { write: (text: string) => writeAbovePrompt(text.trimEnd()) } }
      : {}),
  });
}

/**
 * Starts a bot and keeps it running until its adapters end their input or the process is
 * asked to stop (Ctrl+C, SIGTERM); then stops it cleanly so nothing in flight is lost. A stop
 * that takes longer than `deadlineMs` (5 s) ends the process anyway, naming what did not stop.
 */
export async function runUntilFinished(
  bot: Bot,
  options: GracefulShutdownOptions = {},
): Promise<void> {
  const shutdown = new GracefulShutdown(bot, options);
  void shutdown.requested.then((signal) => bot.log.info('stopping', { signal }));
  try {
    try {
      await bot.start();
    } finally {
      shutdown.started();
    }
    await Promise.race([bot.finished, shutdown.requested]);
  } finally {
    await shutdown.stop();
    shutdown.dispose();
  }
}
