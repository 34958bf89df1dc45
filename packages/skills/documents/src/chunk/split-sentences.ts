/**
 * Abbreviations after which a period does not end a sentence even before a capital letter
 * (`Mr. Smith`, `т.е. Иванов`, `ул. Ленина`), in lower case, without the final period.
 * Single letters (initials, `п. 5`, `т. е.`) never end a sentence either.
 */
const abbreviations = new Set([
  'т.е',
  'т.к',
  'т.н',
  'т.ч',
  'и.о',
  'e.g',
  'i.e',
  'a.m',
  'p.m',
  'cf',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'jr',
  'sr',
  'no',
  'nos',
  'fig',
  'figs',
  'vol',
  'ch',
  'sec',
  'pp',
  'approx',
  'ibid',
  'см',
  'стр',
  'рис',
  'табл',
  'гл',
  'ст',
  'пп',
  'им',
  'ул',
  'пр',
  'просп',
  'пер',
  'пл',
  'корп',
  'тел',
  'проф',
  'акад',
  'доц',
  'канд',
  'англ',
  'лат',
  'напр',
  'ср',
  'прим',
  'ред',
  'изд',
  'обл',
  'р-н',
  'св',
]);

/** Single letters that end a sentence after a number: `в 2020 г. Потом`, `XX в. Это`. */
const unitLetters = new Set(['г', 'в']);

const boundary = /([.!?…]+)([»"'”’)\]]*)\s+/g;
const startsSentence = /^[«"“„'([]*[\p{Lu}]/u;

function endsSentence(text: string, at: number, punctuation: string): boolean {
  if (!startsSentence.test(text.slice(at, at + 8))) return false;
  if (punctuation !== '.') return true;
  const head = text.slice(Math.max(0, at - 60), at);
  const word = /([\p{L}][\p{L}.-]*)\.[»"'”’)\]]*\s+$/u.exec(head);
  if (!word) return true;
  const token = word[1]!.toLowerCase();
  if (token.length === 1) {
    const preceding = head.slice(0, word.index).trimEnd();
    return unitLetters.has(token) && /(?:\d|\b[IVXLC]+)$/.test(preceding);
  }
  return !abbreviations.has(token);
}

/**
 * Splits text into sentences at `.`, `!`, `?` and `…` followed by a space and a capital letter
 * (or an opening quote), in Russian and English. Not a split: `т.е.`, `e.g.`, `Mr. Smith`,
 * initials (`А. С. Пушкин`), `стр. 3`, `1.5`.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  boundary.lastIndex = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (end >= text.length) break;
    if (!endsSentence(text, end, match[1]!)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
  }
  const last = text.slice(start).trim();
  if (last) sentences.push(last);
  return sentences;
}
