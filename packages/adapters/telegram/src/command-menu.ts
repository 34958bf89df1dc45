import type { CommandInfo } from '@botwire/core';
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';

const commandName = /^[a-z0-9_]{1,32}$/;

/** The bot's commands as Telegram menu entries in one language (valid names only, at most 100). */
export function menuCommands(commands: CommandInfo[], language: 'en' | 'ru'): BotCommand[] {
  const seen = new Set<string>();
  const entries: BotCommand[] = [];
  for (const command of commands) {
    if (!commandName.test(command.name) || seen.has(command.name)) continue;
    seen.add(command.name);
    const description = (command.description[language] || command.description.en || command.name)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 256);
    entries.push({ command: command.name, description: description || command.name });
  }
  return entries.slice(0, 100);
}

/**
 * Publishes the command menu (`setMyCommands`): English as the default and for `en`, Russian
 * for `ru`. Telegram shows each user the list in their app's language.
 */
export async function publishCommandMenu(api: Api, commands: CommandInfo[]): Promise<void> {
  const english = menuCommands(commands, 'en');
  await api.setMyCommands(english);
  await api.setMyCommands(english, { language_code: 'en' });
  await api.setMyCommands(menuCommands(commands, 'ru'), { language_code: 'ru' });
}
