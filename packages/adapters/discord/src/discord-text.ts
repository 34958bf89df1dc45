import { type Button, splitText } from '@botwire/core';

/** Discord's limit on a message's content. */
export const discordTextLimit = 2000;

const fence = /^ {0,3}```([^\s`]*)/gm;
/** Room for a fence closed at the end of a part and reopened (with a language up to 20 characters) in the next. */
const fenceRoom = '\n```'.length + '```'.length + 20 + '\n'.length;

/**
 * Splits a text into Discord messages of at most `limit` characters with core's splitText. A
 * code block cut in two is closed at the end of one part and reopened, with its language, at
 * the start of the next, so both halves still render as code.
 *
 * @example
 * splitDiscordText('```ts\n' + code + '\n```') // ['```ts\n…\n```', '```ts\n…\n```']
 */
export function splitDiscordText(text: string, limit = discordTextLimit): string[] {
  if (!text.includes('```') || text.length <= limit) return splitText(text, limit);
  const parts = splitText(text, Math.max(1, limit - fenceRoom));
  const result: string[] = [];
  let language: string | undefined;
  for (const part of parts) {
    let piece = language === undefined ? part : `\`\`\`${language}\n${part}`;
    let open: string | undefined;
    for (const match of piece.matchAll(fence))
      open = open === undefined ? (match[1] ?? '') : undefined;
    if (open !== undefined) piece += '\n```';
    language = open === undefined ? undefined : open.length <= 20 ? open : '';
    result.push(piece);
  }
  return result;
}

/** A Discord button component (discord-api-types `APIButtonComponent`), as sent. */
export type ButtonComponent =
  | { type: 2; style: 1; label: string; custom_id: string }
  | { type: 2; style: 5; label: string; url: string };

/** An action row of up to five buttons. */
export interface ActionRow {
  type: 1;
  components: ButtonComponent[];
}

/**
 * Remembers button data that cannot be a custom_id (longer than 100 characters, or repeated in
 * one message) under a short alias, and turns a pressed custom_id back into the data.
 */
export class ButtonDataAliases {
  private readonly aliases = new Map<string, string>();
  private counter = 0;

  constructor(private readonly capacity = 1000) {}

  /** A custom_id for `data`: the data itself when it fits and is unused in the message. */
  customId(data: string, used: Set<string>): string {
    if (
      data.length >= 1 &&
      data.length <= 100 &&
      !data.startsWith('botwire:alias:') &&
      !used.has(data)
    )
      return data;
    this.counter += 1;
    const alias = `botwire:alias:${this.counter}`;
    this.aliases.set(alias, data);
    if (this.aliases.size > this.capacity) this.aliases.delete(this.aliases.keys().next().value!);
    return alias;
  }

  /** The data of a pressed button. */
  resolve(customId: string): string {
    return this.aliases.get(customId) ?? customId;
  }
}

/**
 * Turns rows of buttons into action rows: at most five buttons a row (longer rows wrap), five
 * rows, labels cut to 80 characters; URL buttons become link buttons.
 */
export function buttonsToComponents(
  rows: Button[][],
  aliases: ButtonDataAliases,
): { components: ActionRow[]; dropped: number } {
  const used = new Set<string>();
  const wrapped = rows.flatMap((row) => {
    const chunks: Button[][] = [];
    for (let index = 0; index < row.length; index += 5) chunks.push(row.slice(index, index + 5));
    return chunks;
  });
  const components = wrapped.slice(0, 5).map(
    (row): ActionRow => ({
      type: 1,
      components: row.map((button): ButtonComponent => {
        const label = button.label.slice(0, 80) || '…';
        if (button.url) return { type: 2, style: 5, label, url: button.url };
        const customId = aliases.customId(button.data ?? button.label, used);
        used.add(customId);
        return { type: 2, style: 1, label, custom_id: customId };
      }),
    }),
  );
  const dropped = wrapped.slice(5).reduce((sum, row) => sum + row.length, 0);
  return { components, dropped };
}
