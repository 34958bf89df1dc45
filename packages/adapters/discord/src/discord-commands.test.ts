import { describe, expect, it } from 'vitest';
import { discordLocale, slashCommandsOf } from './discord-commands';

describe('discord command localizations', () => {
  it("maps language tags to Discord's locales and leaves English and unknown ones out", () => {
    expect(discordLocale('de')).toBe('de');
    expect(discordLocale('ru')).toBe('ru');
    expect(discordLocale('pt')).toBe('pt-BR');
    expect(discordLocale('pt-BR')).toBe('pt-BR');
    expect(discordLocale('es')).toBe('es-ES');
    expect(discordLocale('en')).toBeUndefined();
    expect(discordLocale('eo')).toBeUndefined();
  });

  it('gives each command every description Discord can show', () => {
    const { data } = slashCommandsOf([
      {
        name: 'weather',
        description: { en: 'The weather', ru: 'Погода', de: 'Das Wetter', eo: 'La vetero' },
      },
    ]);
    expect(data[0]).toMatchObject({
      description: 'The weather',
      descriptionLocalizations: { ru: 'Погода', de: 'Das Wetter' },
    });
    expect(
      Object.keys((data[0] as { descriptionLocalizations: object }).descriptionLocalizations),
    ).toEqual(['ru', 'de']);
  });
});
