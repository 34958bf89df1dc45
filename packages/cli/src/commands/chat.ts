import { Command } from 'commander';

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
      // The runtime loads when the command runs, not when the CLI parses its arguments.
      const [{ consoleAdapter }, { botFromConfig, runUntilFinished }] = await Promise.all([
        import('@botwire/adapter-console'),
        import('./run-bot'),
      ]);
      const bot = await botFromConfig(options.config, {
        adapters: [consoleAdapter()],
        running: true,
      });
      await runUntilFinished(bot);
    });
}
