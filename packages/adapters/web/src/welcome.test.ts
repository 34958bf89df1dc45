import type { CommandInfo } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { welcomeSuggestions } from './welcome';

const command = (name: string, en: string, ru = en): CommandInfo => ({
  name,
  description: { en, ru },
});

describe('welcomeSuggestions', () => {
  const commands = [
    command('help', 'what I can do', 'что я умею'),
    command('start', 'start'),
    command('whoami', 'who am I'),
    command('weather', 'the weather', 'погода'),
    command('remind', 'a reminder', 'напоминание'),
    command('pdf', 'a PDF'),
  ];

  it("offers the skills' first commands, then /help, in the user's language", () => {
    expect(welcomeSuggestions(commands, 'ru-RU')).toEqual([
      { text: '/weather', description: 'погода' },
      { text: '/remind', description: 'напоминание' },
      { text: '/help', description: 'что я умею' },
    ]);
    expect(welcomeSuggestions(commands, 'fr')[0]).toEqual({
      text: '/weather',
      description: 'the weather',
    });
  });

  it('offers /help alone to a bot without skills', () => {
    expect(welcomeSuggestions(commands.slice(0, 3), 'en')).toEqual([
      { text: '/help', description: 'what I can do' },
    ]);
  });
});
