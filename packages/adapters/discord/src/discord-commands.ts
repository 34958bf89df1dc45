import { type CommandInfo, type Logger, normalizeLocale } from '@botwire/core';
import type { ApplicationCommandDataResolvable, Client } from 'discord.js';

/** Discord's rule for slash command names (lower case). */
const commandName = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

const describe = (text: string, fallback: string) => (text.trim() || fallback).slice(0, 100);

/** The locales Discord accepts in `description_localizations`. */
const discordLocales = [
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
];
/** Languages Discord knows only with a region: the region it gets. */
const discordRegions: Record<string, string> = {
  es: 'es-ES',
  pt: 'pt-BR',
  sv: 'sv-SE',
  zh: 'zh-CN',
  nb: 'no',
};

/** A description's language tag as Discord's locale (`de` → `de`, `pt` → `pt-BR`), or undefined when Discord has none or it is English (the default). */
export function discordLocale(tag: string): string | undefined {
  const exact = discordLocales.find(
    (each) => each.toLowerCase() === tag.toLowerCase().replace('_', '-'),
  );
  if (exact) return exact.startsWith('en') ? undefined : exact;
  const language = normalizeLocale(tag, '');
  if (language === 'en') return undefined;
  return discordRegions[language] ?? (discordLocales.includes(language) ? language : undefined);
}

/** The non-English descriptions of a command under Discord's locales. */
function localizations(command: CommandInfo): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [tag, text] of Object.entries(command.description)) {
    const locale = discordLocale(tag);
    if (locale && !result[locale]) result[locale] = describe(text, command.name);
  }
  return result;
}

/**
 * The bot's commands as slash commands: each with its English description, the others as
 * `description_localizations` (`de`, `ru`, `pt-BR`, ...), and one optional `text` option for
 * the command's argument.
 * Usable in guilds and in DMs with the bot. Names Discord would refuse are left out.
 */
export function slashCommandsOf(commands: CommandInfo[]): {
  data: ApplicationCommandDataResolvable[];
  skipped: string[];
} {
  const skipped: string[] = [];
  const seen = new Set<string>();
  const data: ApplicationCommandDataResolvable[] = [];
  for (const command of commands) {
    if (!commandName.test(command.name) || seen.has(command.name) || data.length >= 100) {
      skipped.push(command.name);
      continue;
    }
    seen.add(command.name);
    data.push({
      type: 1,
      name: command.name,
      description: describe(command.description.en, command.name),
      descriptionLocalizations: localizations(command),
      options: [
        {
          type: 3,
          name: 'text',
          description: 'What to pass to the command',
          descriptionLocalizations: { ru: 'Что передать команде' },
          required: false,
        },
      ],
      contexts: [0, 1],
      integrationTypes: [0],
    } as ApplicationCommandDataResolvable);
  }
  return { data, skipped };
}

/** Replaces the application's global slash commands with the bot's (one bulk overwrite). */
export async function registerCommands(
  client: Client,
  commands: CommandInfo[],
  log: Logger,
): Promise<void> {
  const { data, skipped } = slashCommandsOf(commands);
  if (skipped.length)
    log.warn('discord-commands-skipped', {
      commands: skipped,
      hint: 'Discord needs 1-32 lower-case letters, digits, - or _',
    });
  try {
    if (!client.application) throw new Error('the client has no application yet');
    await client.application.commands.set(data);
    log.debug('discord-commands-registered', { count: data.length });
  } catch (error) {
    log.warn('discord-commands-failed', { error });
  }
}
