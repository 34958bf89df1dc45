/**
 * ISO 639-1 codes and the names Whisper reports languages by in `verbose_json` (`english`,
 * `russian`), for the languages a bot meets most. Whisper knows more; a name missing here is
 * passed on as the provider wrote it.
 */
export const whisperLanguages: Readonly<Record<string, string>> = {
  ar: 'arabic',
  az: 'azerbaijani',
  be: 'belarusian',
  bg: 'bulgarian',
  ca: 'catalan',
  cs: 'czech',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  et: 'estonian',
  fa: 'persian',
  fi: 'finnish',
  fr: 'french',
  he: 'hebrew',
  hi: 'hindi',
  hr: 'croatian',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  ja: 'japanese',
  ka: 'georgian',
  kk: 'kazakh',
  ko: 'korean',
  lt: 'lithuanian',
  lv: 'latvian',
  ms: 'malay',
  nl: 'dutch',
  no: 'norwegian',
  pl: 'polish',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sk: 'slovak',
  sl: 'slovenian',
  sr: 'serbian',
  sv: 'swedish',
  th: 'thai',
  tr: 'turkish',
  uk: 'ukrainian',
  uz: 'uzbek',
  vi: 'vietnamese',
  zh: 'chinese',
};

const codesByName = new Map(Object.entries(whisperLanguages).map(([code, name]) => [name, code]));

/**
 * The ISO 639-1 code of a language as Whisper names it (`russian` → `ru`); a code stays a code,
 * and a name this table lacks is returned as it came.
 */
export function languageCode(language: string): string {
  const lower = language.trim().toLowerCase();
  if (lower in whisperLanguages) return lower;
  return codesByName.get(lower) ?? language;
}
