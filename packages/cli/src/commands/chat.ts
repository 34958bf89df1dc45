import { consoleAdapter } from '@botwire/adapter-console';
import { Command } from 'commander';
import { botFromConfig, runUntilFinished } from './run-bot';

/** `botwire chat [--config F]`: talks to the bot in this terminal, as its owner. */
export function chatCommand(): Command {
  return new Command('chat')
    .description(
      'talk to the bot in this terminal (as its owner); reads one message per line from a pipe',
    )
    .option(
      '-c, --config <file>',
      'the bot config (default: botwire.config.ts|js|json in this folder)',
    )
    .action(async (options: { config?: string }) => {
      const bot = await botFromConfig(options.config, {
        adapters: [consoleAdapter()],
        running: true,
      });
      await runUntilFinished(bot);
    });
}
