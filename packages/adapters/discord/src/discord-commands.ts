import type { CommandInfo, Logger } from '@botwire/core';
import type { ApplicationCommandDataResolvable, Client } from 'discord.js';

/** Discord's rule for slash command names (lower case). */
const commandName = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

const describe = (text: string, fallback: string) => (text.trim() || fallback).slice(0, 100);

/**
 * The bot's commands as slash commands: each with its English description, the Russian one as
 * `description_localizations.ru`, and one optional `text` option for the command's argument.
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
      descriptionLocalizations: { ru: describe(command.description.ru, command.name) },
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
