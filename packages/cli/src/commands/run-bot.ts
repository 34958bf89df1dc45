import { type Adapter, type Bot, createBot, loadConfig, Redactor } from '@botwire/core';

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
 * asked to stop (Ctrl+C, SIGTERM); then stops it cleanly so nothing in flight is lost.
 */
export async function runUntilFinished(bot: Bot): Promise<void> {
  const stop = (signal: string) => {
    bot.log.info('stopping', { signal });
    void bot.stop();
  };
  const onInterrupt = () => stop('SIGINT');
  const onTerminate = () => stop('SIGTERM');
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onTerminate);
  try {
    await bot.start();
    await bot.finished;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    await bot.stop();
  }
}
