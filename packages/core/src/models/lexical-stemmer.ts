/**
 * Tokens and a light stemmer for English and Russian, for the lexical embeddings: enough to
 * put "reminder" and "reminders", "напоминание" and "напоминания" on one stem, with no model
 * and no dictionary. It strips suffixes; it does not know words.
 */

/** Words too common to tell texts apart; dropped unless a text has nothing else. */
const stopWords = new Set(
  [
    'a an the and or but if of to in on at by for with from as is are was were be been am it its',
    'this that these those i me my we our you your he she they them his her their do does did',
    'not no so than then there here what which who how when where why can could would should',
    'will just about into up out over',
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее',
    'мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него',
    'до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для',
    'мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того',
    'потому этого какой совсем ним здесь этом один почти мой тем чтобы нее были куда зачем всех',
    'можно при об хоть после над больше тот через эти нас про всего них какая много разве эту моя',
    'свою этой перед иногда лучше чуть том такой им более всегда конечно всю между это',
  ]
    .join(' ')
    .split(' '),
);

/** Russian endings, longest first: adjective, verb and noun endings (reflexive ones go first). */
const russianEndings = (
  'иями ими ыми ями ами ого его ому ему ешь ете ите ила ыла ена ило ыло ено ует уют ить ыть ать ять ' +
  'еть ость ости ией иям ием иях ею ою ая яя ое ее ые ие ый ий ой ей ом ем ым им ых их ую юю ' +
  'ам ям ах ях ов ев ии ия ья ью ье ию ть ла ло ли ет ют ят ит ут ат ул ил ал ел а я о е ы и у ю ь й'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

const vowels = /[aeiouy]/;

function stemRussian(word: string): string {
  let stem = word;
  for (const reflexive of ['ся', 'сь']) {
    if (stem.length - reflexive.length >= 4 && stem.endsWith(reflexive)) {
      stem = stem.slice(0, -reflexive.length);
      break;
    }
  }
  for (const ending of russianEndings) {
    if (stem.length - ending.length >= 3 && stem.endsWith(ending))
      return stem.slice(0, -ending.length);
  }
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
    if (stem.endsWith(suffix) && rest.length >= 3 && vowels.test(rest)) {
      stem = rest;
      break;
    }
  }
  if (/([bdfgkmnprt])\1$/.test(stem)) stem = stem.slice(0, -1);
  if (stem.length > 3 && stem.endsWith('e')) stem = stem.slice(0, -1);
  if (stem.length > 3 && stem.endsWith('y')) stem = `${stem.slice(0, -1)}i`;
  return stem;
}

/**
 * The stem of one lower-case word: Russian endings are stripped from Cyrillic words, English
 * suffixes from Latin ones; anything else (numbers, other scripts) is returned as is.
 *
 * @example
 * lexicalStem('напоминания') === lexicalStem('напоминание'); // true
 * lexicalStem('reminders') === lexicalStem('reminder'); // true
 */
export function lexicalStem(word: string): string {
  if (/^[а-я]+$/.test(word)) return stemRussian(word);
  if (/^[a-z]+$/.test(word)) return stemEnglish(word);
  return word;
}

/**
 * The words of a text: NFKC-normalized, lower-case, `ё` as `е`, split on anything that is not
 * a letter or a digit, with stop words dropped (unless nothing else is left).
 */
export function lexicalWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .match(/[\p{L}\p{N}]+/gu);
  if (!words) return [];
  const kept = words.filter((word) => !stopWords.has(word));
  return kept.length > 0 ? kept : words;
}
