import { hasRole } from '../access/roles';
import { coreStrings } from '../i18n/core-strings';
import { localizedText, type StringTable } from '../i18n/translate';
import { Composer } from '../middleware/composer';
import type { CommandInfo } from '../ports/adapter';
import type { JobQueue } from '../ports/job-queue';
import { formatInstant } from '../scheduler/zoned-time';
import { defaultBotTimezone, userTimezone } from '../skills/run-tool';
import type { CommandManifest } from '../skills/skill-manifest';
import type { BotContext } from './bot-context';
import { phraseExamples, samplePhrases } from './phrase-examples';

/** Built-in commands with the lowest role that sees them in /help (undefined: everyone). */
const builtins: Array<{ name: string; role?: 'admin' | 'owner' }> = [
  { name: 'help' },
  { name: 'start' },
  { name: 'whoami' },
  { name: 'admit', role: 'admin' },
  { name: 'revoke', role: 'admin' },
  { name: 'role', role: 'admin' },
  { name: 'users', role: 'admin' },
  { name: 'cancel' },
  { name: 'jobs' },
  { name: 'token', role: 'owner' },
];

/** The built-in commands for command menus, in every language core has strings in. */
export function builtinCommandInfo(): CommandInfo[] {
  return builtins
    .filter((command) => !command.role)
    .map(({ name }) => {
      const key = `help.command.${name}`;
      const tables: StringTable = coreStrings;
      const description = Object.fromEntries(
        Object.entries(tables).flatMap(([locale, table]) =>
          table?.[key] ? [[locale, table[key]]] : [],
        ),
      );
      return { name, description: { ...description, en: tables.en?.[key] ?? name } };
    });
}

/** A skill's command for command menus: its description by language, `en` always there. */
export function skillCommandInfo(command: CommandManifest): CommandInfo {
  const description =
    typeof command.description === 'string' ? { en: command.description } : command.description;
  return { name: command.name, description };
}

/** How many example phrases a message nothing understood is answered with. */
const hintPhrases = 3;

/** The text of /help for this user: the built-in commands they may use, then each skill and its commands. */
export function helpText(context: BotContext): string {
  const lines = [
    context.t('help.title', { bot: context.botName }),
    '',
    `${context.t('help.builtins')}:`,
  ];
  for (const command of builtins) {
    if (command.role && !hasRole(context.role, command.role)) continue;
    if (command.name === 'token' && !context.state.ownerTokenAvailable) continue;
    lines.push(`/${command.name} — ${context.t(`help.command.${command.name}`)}`);
  }
  lines.push('', `${context.t('help.skills')}:`);
  const skills = context.skills.skills;
  if (skills.length === 0) lines.push(context.t('help.no_skills'));
  for (const skill of skills) {
    lines.push(`• ${skill.manifest.name} ${skill.manifest.version}: ${skill.manifest.description}`);
    for (const command of skill.manifest.commands ?? []) {
      const description = localizedText(command.description, context.locale);
      lines.push(
        `  /${command.name}${command.argument ? ` <${command.argument}>` : ''} — ${description}`,
      );
    }
    const phrases = phraseExamples([skill.manifest], context.locale)[0]?.examples ?? [];
    if (phrases.length)
      lines.push(`  ${context.t('help.phrases')}: ${phrases.map(quote(context)).join(', ')}`);
  }
  if (!context.services.chatModel()) lines.push('', context.t('help.no_model'));
  return lines.join('\n');
}

/** Quotes a phrase the way the user's language does: “search for cats”, «найди котиков». */
const quote = (context: BotContext) => (phrase: string) => context.t('phrase.quoted', { phrase });

/**
 * What to say to a message nothing understood: with no model, two or three phrases that
 * would work (from the skills' pattern examples, in the user's language); else, or when no
 * skill has examples, to send /help.
 */
export function notUnderstoodText(context: BotContext): string {
  if (context.services.chatModel()) return context.t('fallback.not_understood');
  const phrases = samplePhrases(
    phraseExamples(
      context.skills.skills.map((skill) => skill.manifest),
      context.locale,
    ),
    hintPhrases,
  );
  if (phrases.length === 0) return context.t('fallback.no_model');
  return context.t('fallback.try_phrases', { phrases: phrases.map(quote(context)).join(', ') });
}

/** Options for {@link builtinCommands}. */
export interface BuiltinCommandOptions {
  /**
   * Makes a new owner token for the web chat and returns its sign-in link; undefined when the
   * bot has no HTTP server. `/token` calls it.
   */
  rotateOwnerToken?: () => Promise<string | undefined>;
  /** The bot's job queue, for `/jobs`; without it `/jobs` says there are none. */
  jobs?: () => JobQueue | undefined;
}

/** `/help`, `/start`, `/jobs` and `/token`. */
export function builtinCommands(options: BuiltinCommandOptions = {}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use((context, next) => {
    context.state.ownerTokenAvailable = options.rotateOwnerToken !== undefined;
    return next();
  });
  composer.command('token', async (context) => {
    if (!hasRole(context.role, 'owner'))
      return context.reply(context.t('access.forbidden', { role: 'owner' }));
    const link = await options.rotateOwnerToken?.();
    if (!link) return context.reply(context.t('token.no_server'));
    context.log.warn('owner-token-rotated', {});
    // The link is a credential: only a chat that only the owner sees gets it.
    const { capabilities } = context.adapter;
    const privateToOwner =
      context.message.chat.type === 'private' &&
      (capabilities.localOperator || capabilities.verifiesRoles);
    return context.reply(
      privateToOwner ? context.t('token.rotated', { link }) : context.t('token.rotated_elsewhere'),
      { history: false },
    );
  });
  composer.command('help', (context) => context.reply(helpText(context)));
  composer.command('jobs', async (context) => {
    const jobs = (await options.jobs?.()?.list({ owner: context.user.id, limit: 20 })) ?? [];
    if (jobs.length === 0) return context.reply(context.t('jobs.none'));
    const zone =
      userTimezone(context.user) ?? context.services.settings.defaultTimezone ?? defaultBotTimezone;
    const time = (instant: Date) => {
      try {
        return formatInstant(instant, zone).slice(0, 16).replace('T', ' ');
      } catch {
        return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      }
    };
    const active = new Set(['queued', 'running', 'retrying']);
    const lines = jobs.map((job) =>
      context.t('jobs.line', {
        what: String(job.data.label ?? job.name),
        state: context.t(`jobs.state.${job.state}`),
        when: active.has(job.state)
          ? context.t('jobs.next', { time: time(job.runAt) })
          : context.t('jobs.finished', { time: time(job.updatedAt) }),
      }),
    );
    return context.reply([context.t('jobs.header', { count: jobs.length }), ...lines].join('\n'));
  });
  composer.command('start', (context) =>
    context.reply(
      `${context.t('start.greeting', { name: context.user.name ?? context.message.sender.name ?? '', bot: context.botName })}`,
    ),
  );
  return composer;
}

/** Names no skill may use for a command. */
export const builtinCommandNames = ['help', 'start', 'token', 'cancel', 'jobs'] as const;

/**
 * The last middleware of the chain: an unknown command gets "there is no command", and a
 * message nothing handled gets a hint ({@link notUnderstoodText}).
 */
export function fallbackReply(): (context: BotContext) => Promise<unknown> | undefined {
  return (context) => {
    const command = context.command;
    if (command) return context.reply(context.t('command.unknown', { command: command.name }));
    if (
      context.message.kind === 'message' &&
      (context.text || context.message.attachments.length)
    ) {
      return context.reply(notUnderstoodText(context));
    }
    return undefined;
  };
}
