import { hasRole } from '../access/roles';
import type { CommandInfo } from '../ports/adapter';
import { coreStrings } from '../i18n/core-strings';
import { Composer } from '../middleware/composer';
import type { BotContext } from './bot-context';

/** Built-in commands with the lowest role that sees them in /help (undefined: everyone). */
const builtins: Array<{ name: string; role?: 'admin' }> = [
  { name: 'help' },
  { name: 'start' },
  { name: 'whoami' },
  { name: 'admit', role: 'admin' },
  { name: 'revoke', role: 'admin' },
  { name: 'role', role: 'admin' },
  { name: 'users', role: 'admin' },
];

/** The built-in commands for command menus, in both languages. */
export function builtinCommandInfo(): CommandInfo[] {
  return builtins
    .filter((command) => !command.role)
    .map(({ name }) => ({
      name,
      description: {
        en: coreStrings.en[`help.command.${name}` as 'help.command.help'],
        ru: coreStrings.ru[`help.command.${name}` as 'help.command.help'],
      },
    }));
}

/** The text of /help for this user: the built-in commands they may use, then each skill and its commands. */
export function helpText(context: BotContext): string {
  const lines = [
    context.t('help.title', { bot: context.bot.name }),
    '',
    `${context.t('help.builtins')}:`,
  ];
  for (const command of builtins) {
    if (command.role && !hasRole(context.role, command.role)) continue;
    lines.push(`/${command.name} — ${context.t(`help.command.${command.name}`)}`);
  }
  lines.push('', `${context.t('help.skills')}:`);
  const skills = context.bot.skills.skills;
  if (skills.length === 0) lines.push(context.t('help.no_skills'));
  for (const skill of skills) {
    lines.push(`• ${skill.manifest.name} ${skill.manifest.version}: ${skill.manifest.description}`);
    for (const command of skill.manifest.commands ?? []) {
      const description =
        typeof command.description === 'string'
          ? command.description
          : ((context.locale === 'ru' ? command.description.ru : undefined) ??
            command.description.en);
      lines.push(
        `  /${command.name}${command.argument ? ` <${command.argument}>` : ''} — ${description}`,
      );
    }
  }
  return lines.join('\n');
}

/** `/help` and `/start`. */
export function builtinCommands(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('help', (context) => context.reply(helpText(context)));
  composer.command('start', (context) =>
    context.reply(
      `${context.t('start.greeting', { name: context.user.name ?? context.message.sender.name ?? '', bot: context.bot.name })}`,
    ),
  );
  return composer;
}

/** Names no skill may use for a command. */
export const builtinCommandNames = ['help', 'start'] as const;

/**
 * The last middleware of the chain: an unknown command gets "there is no command", and a
 * message nothing handled gets a hint to send /help.
 */
export function fallbackReply(): (context: BotContext) => Promise<unknown> | undefined {
  return (context) => {
    const command = context.command;
    if (command) return context.reply(context.t('command.unknown', { command: command.name }));
    if (
      context.message.kind === 'message' &&
      (context.text || context.message.attachments.length)
    ) {
      return context.reply(context.t('fallback.not_understood'));
    }
    return undefined;
  };
}
