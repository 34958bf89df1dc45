import type { ScopedKeyValueStore } from '@botwire/core';

/** A language tag such as `en`, `ru` or `ru-RU`. */
export const localePattern = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/;

const key = (chatId: string) => `locale:${encodeURIComponent(chatId)}`;

/**
 * The language a web chat's user chose on the page, kept in the adapter's key-value namespace
 * so every device and every restart shows the page (and gets the bot's replies) in it.
 *
 * @example
 * await chatLocale.set(kv, 'owner', 'ru');
 * await chatLocale.get(kv, 'owner'); // → 'ru'
 */
export const chatLocale = {
  /** The chosen language, or undefined when the user has not chosen one. */
  async get(kv: ScopedKeyValueStore, chatId: string): Promise<string | undefined> {
    const value = await kv.get<string>(key(chatId));
    return typeof value === 'string' && localePattern.test(value) ? value : undefined;
  },
  /** Keeps a choice; false (and nothing kept) when it is not a language tag. */
  async set(kv: ScopedKeyValueStore, chatId: string, locale: string): Promise<boolean> {
    if (!localePattern.test(locale)) return false;
    await kv.set(key(chatId), locale);
    return true;
  },
};
