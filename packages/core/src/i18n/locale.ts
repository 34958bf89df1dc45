/**
 * A language, as the primary subtag of a BCP-47 tag in lower case: `en`, `ru`, `de`, `pt`.
 * Locales are data: core ships its own strings in English and Russian, a skill may ship any
 * language, and English is the fallback of every lookup.
 */
export type Locale = string;
