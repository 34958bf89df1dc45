import { type CommandInfo, localizedText, normalizeLocale } from '@botwire/core';
import type { Api } from 'grammy';
import type { BotCommand, LanguageCode } from 'grammy/types';

const commandName = /^[a-z0-9_]{1,32}$/;

/** The bot's commands as Telegram menu entries in one language (valid names only, at most 100). */
export function menuCommands(commands: CommandInfo[], language: string): BotCommand[] {
  const seen = new Set<string>();
  const entries: BotCommand[] = [];
  for (const command of commands) {
    if (!commandName.test(command.name) || seen.has(command.name)) continue;
    seen.add(command.name);
    const description = (localizedText(command.description, language) || command.name)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 256);
    entries.push({ command: command.name, description: description || command.name });
  }
  return entries.slice(0, 100);
}

/** Every language some command has a description in (Telegram's two-letter codes), English first. */
export function menuLanguages(commands: CommandInfo[]): string[] {
  const languages = new Set(['en']);
  for (const command of commands)
    for (const tag of Object.keys(command.description)) {
      const language = normalizeLocale(tag, '');
      if (/^[a-z]{2}$/.test(language)) languages.add(language);
    }
  return [...languages];
}

/**
 * Publishes the command menu (`setMyCommands`): English as the default, and one list per
 * language the descriptions have (`en`, `ru`, `de`, ...). Telegram shows each user the list
 * in their app's language.
 */
export async function publishCommandMenu(api: Api, commands: CommandInfo[]): Promise<void> {
  await api.setMyCommands(menuCommands(commands, 'en'));
  for (const language of menuLanguages(commands))
    await api.setMyCommands(menuCommands(commands, language), {
      language_code: language as LanguageCode,
    });
}
