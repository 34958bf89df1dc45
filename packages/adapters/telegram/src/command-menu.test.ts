import type { CommandInfo } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { menuCommands, menuLanguages } from './command-menu';

const commands: CommandInfo[] = [
  { name: 'help', description: { en: 'list what I can do', ru: 'показать, что я умею' } },
  {
    name: 'weather',
    description: { en: 'The weather', de: 'Das Wetter', 'pt-BR': 'O tempo' },
  },
];

describe('the Telegram command menu', () => {
  it('has a list for every language a description is in, English first', () => {
    expect(menuLanguages(commands)).toEqual(['en', 'ru', 'de', 'pt']);
  });

  it('falls back to English for a command without a text in the language', () => {
    expect(menuCommands(commands, 'de')).toEqual([
      { command: 'help', description: 'list what I can do' },
      { command: 'weather', description: 'Das Wetter' },
    ]);
    expect(menuCommands(commands, 'pt')).toContainEqual({
      command: 'weather',
      description: 'The weather',
    });
  });
});
