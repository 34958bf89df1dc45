import { Command } from 'commander';
import type { SecretsCommandOptions } from './secrets-actions';

const configHelp = 'the bot config (default: botwire.config.ts|js|json in this folder)';
const skillHelp = 'the skill the secret belongs to (default: every skill, a bot-wide secret)';
const userHelp = "a user's id (usr_...): that user's secret of --skill (default: bot-wide)";

/**
 * `botwire secrets set|list|rm|rotate`: the bot's encrypted secrets (credentials skills read
 * with `context.secrets`); their code loads when they run. No command prints a value.
 */
export function secretsCommand(): Command {
  const secrets = new Command('secrets').description(
    "the bot's encrypted secrets (skills' credentials); values are never printed",
  );

  secrets
    .command('set')
    .description(
      'store a secret, encrypted; without [value] it is read from standard input (a prompt that does not echo on a terminal), which keeps it out of shell history and the process list',
    )
    .argument('<name>', "the secret's name: 1 to 128 of A-Z a-z 0-9 _ . -")
    .argument('[value]', 'the value (better: leave it out and give it on standard input)')
    .option('-s, --skill <skill>', skillHelp)
    .option('-u, --user <userId>', userHelp)
    .option('-c, --config <file>', configHelp)
    .action(async (name: string, value: string | undefined, options: SecretsCommandOptions) => {
      const { setSecret } = await import('./secrets-actions');
      await setSecret(name, value, options);
    });

  secrets
    .command('list')
    .description('list the secrets: name, skill, user, key id and when set; never values')
    .option('-s, --skill <skill>', 'only the secrets of this skill (* for the bot-wide ones)')
    .option('-u, --user <userId>', "only this user's secrets")
    .option('-c, --config <file>', configHelp)
    .option('--json', 'print JSON')
    .action(async (options: SecretsCommandOptions & { json?: boolean }) => {
      const { listSecrets } = await import('./secrets-actions');
      await listSecrets(options);
    });

  secrets
    .command('rm')
    .description('delete a secret; exit 1 when there is none')
    .argument('<name>', "the secret's name")
    .option('-s, --skill <skill>', skillHelp)
    .option('-u, --user <userId>', userHelp)
    .option('-c, --config <file>', configHelp)
    .action(async (name: string, options: SecretsCommandOptions) => {
      const { removeSecret } = await import('./secrets-actions');
      await removeSecret(name, options);
    });

  secrets
    .command('rotate')
    .description(
      'encrypt every secret that is under an older key again under the active key (BOTWIRE_SECRET_ACTIVE_KEY); then the older keys can be dropped',
    )
    .option('-c, --config <file>', configHelp)
    .action(async (options: { config?: string }) => {
      const { rotateSecrets } = await import('./secrets-actions');
      await rotateSecrets(options);
    });

  return secrets;
}
