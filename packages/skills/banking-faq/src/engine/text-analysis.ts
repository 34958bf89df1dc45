/**
 * Words, stems and language of customer text, for the FAQ index: a light English and Russian
 * stemmer (suffix stripping, no dictionary) and a stop-word list, so "карту", "карты", "карта"
 * and "cards", "card" land on one term.
 */

/** A language of the knowledge base: `ru` or `en` (any other code is kept as given). */
export type FaqLanguage = string;

const stopWords = new Set(
  [
    'a an the and or but if of to in on at by for with from as is are was were be been am it its',
    'this that these those i me my we our you your he she they them his her their do does did',
    'so than then there here what which who how when where why can could would should will just',
    "about into up out over im i'm ive please hi hello there any some get got have has had",
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее',
    'мне было вот от меня еще о из ему теперь когда даже ну ли если уже или ни быть был него',
    'до вас нибудь опять уж вам ведь там потом себя ей может они тут где есть надо ней для',
    'мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того',
    'потому этого какой какая какие совсем ним здесь этом один почти мой тем чтобы нее были куда',
    'зачем всех при об хоть после над про всего них эту моя свою этой перед между это мои',
    'мою моей пожалуйста плиз здравствуйте привет подскажите скажите ваш ваша вашем вашей ли',
    'можно нужно хочу',
  ]
    .join(' ')
    .split(' '),
);

const russianEndings = (
  'ениями иями ими ыми ями ами ого его ому ему ешь ете ите ила ыла ена ило ыло ено ует уют ить ' +
  'ыть ать ять еть ией иям ием иях ею ою ая яя ое ее ые ие ый ий ой ей ом ем ым им ых их ую юю ' +
  'ам ям ах ях ов ев ии ия ья ью ье ию ть ла ло ли ет ют ят ит ут ат ул ил ал ел а я о е ы и у ю ь й'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

function stemRussian(word: string): string {
  let stem = word;
  for (const reflexive of ['ся', 'сь']) {
    if (stem.length - reflexive.length >= 4 && stem.endsWith(reflexive)) {
      stem = stem.slice(0, -reflexive.length);
      break;
    }
  }
  for (const ending of russianEndings) {
    if (stem.length - ending.length >= 3 && stem.endsWith(ending)) {
      stem = stem.slice(0, -ending.length);
      break;
    }
  }
  // "карточк" → "карт", "перевод" stays: drop a trailing diminutive "очк"/"ечк" and a soft sign.
  if (stem.length > 5 && /(очк|ечк)$/.test(stem)) stem = stem.slice(0, -3);
  if (stem.length > 3 && stem.endsWith('ь')) stem = stem.slice(0, -1);
  return stem;
}

const englishSuffixes =
  'ational ations ation ments ment ness ings ing ers er edly ed ly ful ous'.split(' ');

function stemEnglish(word: string): string {
  let stem = word;
  if (stem.length > 4 && stem.endsWith('ies')) stem = `${stem.slice(0, -3)}y`;
  else if (stem.length > 4 && /(ss|x|z|ch|sh)es$/.test(stem)) stem = stem.slice(0, -2);
  else if (stem.length > 3 && stem.endsWith('s') && !/(ss|us|is)$/.test(stem))
    stem = stem.slice(0, -1);
  for (const suffix of englishSuffixes) {
    const rest = stem.slice(0, -suffix.length);
    if (stem.endsWith(suffix) && rest.length >= 3 && /[aeiouy]/.test(rest)) {
      stem = rest;
      break;
    }
  }
  if (/([bdfgkmnprt])\1$/.test(stem)) stem = stem.slice(0, -1);
  if (stem.length > 3 && stem.endsWith('e')) stem = stem.slice(0, -1);
  if (stem.length > 3 && stem.endsWith('y')) stem = `${stem.slice(0, -1)}i`;
  return stem;
}

/** The stem of one lower-case word; numbers and other scripts are returned as they are. */
export function stemWord(word: string): string {
  if (/^[а-я]+$/.test(word)) return stemRussian(word);
  if (/^[a-z]+$/.test(word)) return stemEnglish(word);
  return word;
}

/** Lower-case, NFKC, `ё` as `е`: the form every comparison uses. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е');
}

/** The words of a text (letters and digits), stop words kept. */
export function splitWords(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True for a word that tells nothing about the topic ("как", "the", "пожалуйста"). */
export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

/** The stems of a text's content words, in order (stop words and one-letter words dropped). */
export function contentStems(text: string): string[] {
  return splitWords(text)
    .filter((word) => !stopWords.has(word) && (word.length > 1 || /\d/.test(word)))
    .map(stemWord);
}

/**
 * The language of a question: `ru` when Cyrillic letters are at least as many as Latin ones
 * (Cyrillic wins ties), `en` otherwise; `en` for a text without letters.
 *
 * @example
 * detectLanguage('как сделать chargeback'); // 'ru'
 */
export function detectLanguage(text: string): 'ru' | 'en' {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (cyrillic === 0 && latin === 0) return 'en';
  return cyrillic >= latin ? 'ru' : 'en';
}
