import { type Adapter, type Bot, createBot, loadConfig, Redactor } from '@botwire/core';
import { GracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';

/**
 * Loads the config and creates a bot from it, optionally with other adapters.
 * Every value that `.env` set is treated as a secret: it is redacted from all logs.
 */
export async function botFromConfig(
  configPath: string | undefined,
  adapters?: Adapter[],
): Promise<Bot> {
  const loaded = await loadConfig(configPath);
  const redactor = new Redactor();
  redactor.add(...loaded.envNames.map((name) => process.env[name]));
  return createBot({
    config: loaded.config,
    rootDir: loaded.rootDir,
    dataDir: loaded.dataDir,
    redactor,
    ...(adapters ? { adapters } : {}),
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
