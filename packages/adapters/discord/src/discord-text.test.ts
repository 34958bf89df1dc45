import { splitText } from '@botwire/core';
import { describe, expect, it } from 'vitest';
import { slashCommandsOf } from './discord-commands';
import { ButtonDataAliases, buttonsToComponents, splitDiscordText } from './discord-text';

describe('splitDiscordText', () => {
  it('splits plain text exactly as core does', () => {
    const text = Array.from({ length: 300 }, (_, index) => `Word${index} is here.`).join(' ');
    expect(splitDiscordText(text)).toEqual(splitText(text, 2000));
    expect(splitDiscordText('short')).toEqual(['short']);
  });

  it('closes a code block at a cut and reopens it with its language', () => {
    const code = Array.from({ length: 150 }, (_, index) => `print("line ${index}")  # a comment`);
    const text = `Intro.\n\n\`\`\`python\n${code.join('\n')}\n\`\`\`\n\nOutro.`;
    const parts = splitDiscordText(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    for (const part of parts.slice(1)) expect(part.startsWith('```python\n')).toBe(true);
    const lines = parts.join('\n').split('\n');
    for (const line of code) expect(lines).toContain(line);
    expect(parts.at(-1)).toMatch(/Outro\.$/);
  });
});

describe('buttonsToComponents', () => {
  it('wraps rows at five buttons, stops at five rows, and aliases data that cannot be a custom_id', () => {
    const aliases = new ButtonDataAliases();
    const long = 'x'.repeat(150);
    const { components, dropped } = buttonsToComponents(
      [
        Array.from({ length: 12 }, (_, index) => ({ label: `${index}`, data: `n:${index}` })),
        [
          { label: 'Same', data: 'dup' },
          { label: 'Same again', data: 'dup' },
          { label: 'Long', data: long },
        ],
        [{ label: 'a'.repeat(100), data: 'label' }],
        [{ label: 'Sixth row', data: 'gone' }],
      ],
      aliases,
    );
    expect(components.map((row) => row.components.length)).toEqual([5, 5, 2, 3, 1]);
    expect(dropped).toBe(1);
    const [first, second, third] = components[3]!.components as { custom_id: string }[];
    expect(first!.custom_id).toBe('dup');
    expect(second!.custom_id).not.toBe('dup');
    expect(aliases.resolve(second!.custom_id)).toBe('dup');
    expect(third!.custom_id.length).toBeLessThanOrEqual(100);
    expect(aliases.resolve(third!.custom_id)).toBe(long);
    expect((components[4]!.components[0] as { label: string }).label).toHaveLength(80);
  });
});

describe('slashCommandsOf', () => {
  it('keeps names Discord accepts and cuts descriptions to 100 characters', () => {
    const { data, skipped } = slashCommandsOf([
      { name: 'remind', description: { en: 'r'.repeat(150), ru: '' } },
      { name: 'Remind', description: { en: 'upper case', ru: 'верхний регистр' } },
      { name: 'with space', description: { en: 'space', ru: 'пробел' } },
      { name: 'remind', description: { en: 'again', ru: 'снова' } },
    ]);
    expect(skipped).toEqual(['Remind', 'with space', 'remind']);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      name: 'remind',
      descriptionLocalizations: { ru: 'remind' },
    });
    expect((data[0] as { description: string }).description).toHaveLength(100);
  });
});
