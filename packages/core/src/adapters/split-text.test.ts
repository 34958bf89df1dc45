import { describe, expect, it } from 'vitest';
import { buttonsToNumberedOptions } from './numbered-options';
import { splitText } from './split-text';

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
    expect(splitText('', 10)).toEqual(['']);
  });

  it('splits at paragraph boundaries first', () => {
    const text = `${'a'.repeat(30)}\n\n${'b'.repeat(30)}`;
    expect(splitText(text, 40)).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
  });

  it('splits at sentence ends before spaces', () => {
    const text = 'First sentence is here. Second sentence follows it and is long.';
    const parts = splitText(text, 40);
    expect(parts[0]).toBe('First sentence is here.');
    expect(parts.join(' ')).toBe(text);
  });

  it('never cuts a word when a space is available, and respects the limit', () => {
    const words = Array.from({ length: 2000 }, (_, index) => `word${index}`);
    const text = words.join(' ');
    const parts = splitText(text, 4096);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join(' ')).toBe(text);
    expect(parts.flatMap((part) => part.split(' '))).toEqual(words);
  });

  it('cuts a word only when it alone is longer than the limit', () => {
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('rejects a limit below 1', () => {
    expect(() => splitText('a', 0)).toThrow(RangeError);
  });
});

describe('buttonsToNumberedOptions', () => {
  it('appends numbered options and returns what each number means', () => {
    const { message, options } = buttonsToNumberedOptions({
      text: 'Pick',
      buttons: [[{ label: 'Yes', data: 'y' }], [{ label: 'Docs', url: 'https://example.org' }]],
    });
    expect(message.text).toBe('Pick\n\n1. Yes\n2. Docs: https://example.org');
    expect(message.buttons).toBeUndefined();
    expect(options.map((option) => option.data ?? option.url)).toEqual([
      'y',
      'https://example.org',
    ]);
  });
});
