/** String tables, one per language. */
export type Tables = Record<string, Record<string, string>>;
/** The first candidate language the tables have, else English. */
export function pickLanguage(tables: Tables, candidates: Array<string | undefined>): string;
/** A lookup function for one language. */
export function translator(
  tables: Tables,
  language: string,
): (key: string, parameters?: Record<string, string | number>) => string;
/** Translates the page's fixed labels. */
export function translatePage(root: ParentNode, t: (key: string) => string): void;
