import { Command } from 'commander';

/** `botwire test [paths...]`: runs golden conversations; their code loads when it runs. */
export function testCommand(): Command {
  return new Command('test')
    .description(
      'run golden conversations (*.golden.yaml) against the bot: prints a diff for each broken expectation and a closing line with counts; exit 1 when one fails',
    )
    .argument('[paths...]', 'golden files, or folders to search (default: this folder)')
    .option(
      '-c, --config <file>',
      'the bot config, for files without a `config:` line (default: the nearest botwire.config.* above each file)',
    )
    .action(async (paths: string[], options: { config?: string }) => {
      const { runGoldenFiles } = await import('../golden/index');
      const run = await runGoldenFiles(paths, {
        ...(options.config ? { configPath: options.config } : {}),
        write: (text) => process.stdout.write(`${text}\n`),
      });
      if (!run.passed) process.exitCode = 1;
    });
}
