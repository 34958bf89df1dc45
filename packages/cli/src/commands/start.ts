import { Command } from 'commander';
import { botFromConfig, runUntilFinished } from './run-bot';

/** `botwire start [--config F]`: runs the bot with the adapters in its config. */
export function startCommand(): Command {
  return new Command('start')
    .description('run the bot with the adapters in its config')
    .option(
      '-c, --config <file>',
      'the bot config (default: botwire.config.ts|js|json in this folder)',
    )
    .action(async (options: { config?: string }) => {
      const bot = await botFromConfig(options.config, { running: true });
      await runUntilFinished(bot);
    });
}
