import { Command, CommanderError } from 'commander';
import { chatCommand } from './commands/chat';
import { doctorCommand } from './commands/doctor';
import { initCommand } from './commands/init';
import { secretsCommand } from './commands/secrets';
import { skillNewCommand } from './commands/skill-new';
import { skillsCommand } from './commands/skills';
import { startCommand } from './commands/start';
import { testCommand } from './commands/test';
import { toolsCommand } from './commands/tools';
import { reportError } from './output';
import { cliVersion } from './version';

/** Builds the `botwire` command with all its subcommands. */
export function createProgram(): Command {
  const program = new Command('botwire')
    .description('Build, check and run Botwire chat bots.')
    .version(cliVersion, '-v, --version')
    .showHelpAfterError('(run botwire --help for usage)');
  program.addCommand(startCommand());
  program.addCommand(chatCommand());
  program.addCommand(skillsCommand());
  program.addCommand(toolsCommand());
  program.addCommand(secretsCommand());
  program.addCommand(initCommand());
  program.addCommand(skillNewCommand());
  program.addCommand(doctorCommand());
  program.addCommand(testCommand());
  return program;
}

/** Runs the CLI and returns the exit code: 0 on success, 1 on a failure, 2 on bad usage. */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? 0
        : 2;
    }
    reportError(error);
    return 1;
  }
}
