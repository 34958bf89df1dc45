import type { CommandInfo } from '@botwire/core';

/** A phrase the empty chat suggests: what to send, and what it does. */
export interface Suggestion {
  text: string;
  description: string;
}

/** How many phrases the greeting offers. */
const maxSuggestions = 3;

/** The description of a command in the user's language (its base: `ru-RU` → `ru`), else English. */
function describe(command: CommandInfo, locale: string): string {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const descriptions = command.description as Record<string, string | undefined>;
  return descriptions[language] ?? command.description.en;
}

/**
 * The phrases the empty web chat suggests: the skills' commands first (what this bot does that
 * others do not), then `/help`, at most three.
 *
 * @example
 * welcomeSuggestions(host.commands(), 'ru') // → [{ text: '/weather', description: 'погода' }, { text: '/help', ... }]
 */
export function welcomeSuggestions(commands: CommandInfo[], locale: string): Suggestion[] {
  const builtins = new Set(['help', 'start', 'whoami', 'cancel', 'token', 'jobs']);
  const fromSkills = commands.filter((command) => !builtins.has(command.name));
  const help = commands.filter((command) => command.name === 'help');
  return [...fromSkills.slice(0, maxSuggestions - help.length), ...help].map((command) => ({
    text: `/${command.name}`,
    description: describe(command, locale),
  }));
}
