/** The skill's texts, in English and Russian. */
export const goalStrings = {
  en: {
    'goals.no_user': 'Goals belong to a user: run this in a chat.',
    'goals.created':
      '🎯 Goal #{number} set: {title}. Check in with /done {number} when you make progress.',
    'goals.too_many':
      'You have {count} active goals, the most I keep: archive one first (/archive <number>).',
    'goals.none': 'No goals yet. Set one: /goal read 20 pages a day.',
    'goals.none_archived': 'No archived goals.',
    'goals.title': 'Your goals:',
    'goals.archived_title': 'Archived goals:',
    'goals.line': '{number}. {title}{progress}',
    'goals.line_today': ' ✅ today',
    'goals.stats': '{level} · {points} points · streak {streak} {days} 🔥 (best {best})',
    'goals.not_found': 'There is no goal "{goal}": /goals lists them by number.',
    'goals.which': 'Which goal? Answer with its number, or press one:',
    'goals.updated': '✏️ Goal #{number} is now: {title}',
    'goals.archived': '📦 Goal #{number} "{title}" is archived.',
    'goals.checked': '✅ {title}{progress} · +{earned} points · streak {streak} {days} 🔥',
    'goals.level_up': '🎉 New level: {level}!',
    'goals.streak_restarted': 'A day was missed, so the streak started again.',
    'goals.reached':
      '🏆 Target reached: {title}! Archive it with /archive {number}, or raise the target.',
    'goals.progress':
      '{level}: {points} points{next}. Streak: {streak} {days} (best {best}). Check-ins: {checkIns}.',
    'goals.next': ', {left} more to {next}',
  },
  ru: {
    'goals.no_user': 'Цели принадлежат пользователю: выполните это в чате.',
    'goals.created': '🎯 Цель №{number}: {title}. Отмечайте прогресс командой /done {number}.',
    'goals.too_many':
      'У вас {count} активных целей — это максимум: сначала отправьте одну в архив (/archive <номер>).',
    'goals.none': 'Целей пока нет. Поставьте первую: /goal читать 20 страниц в день.',
    'goals.none_archived': 'В архиве пусто.',
    'goals.title': 'Ваши цели:',
    'goals.archived_title': 'Цели в архиве:',
    'goals.line': '{number}. {title}{progress}',
    'goals.line_today': ' ✅ сегодня',
    'goals.stats': '{level} · {points} очков · серия {streak} {days} 🔥 (рекорд {best})',
    'goals.not_found': 'Цели «{goal}» нет: список с номерами — /goals.',
    'goals.which': 'Какая цель? Ответьте номером или нажмите:',
    'goals.updated': '✏️ Цель №{number} теперь: {title}',
    'goals.archived': '📦 Цель №{number} «{title}» в архиве.',
    'goals.checked': '✅ {title}{progress} · +{earned} очков · серия {streak} {days} 🔥',
    'goals.level_up': '🎉 Новый уровень: {level}!',
    'goals.streak_restarted': 'Был пропущен день, поэтому серия началась заново.',
    'goals.reached':
      '🏆 Цель достигнута: {title}! Отправьте её в архив (/archive {number}) или поднимите планку.',
    'goals.progress':
      '{level}: {points} очков{next}. Серия: {streak} {days} (рекорд {best}). Отметок: {checkIns}.',
    'goals.next': ', до уровня «{next}» ещё {left}',
  },
};

/** `1 day`, `3 days`; in Russian `1 день`, `3 дня`, `5 дней`, `21 день`. */
export function dayWord(count: number, locale: string): string {
  if (!locale.startsWith('ru')) return count === 1 ? 'day' : 'days';
  const tens = count % 100;
  const ones = count % 10;
  if (tens >= 11 && tens <= 14) return 'дней';
  if (ones === 1) return 'день';
  if (ones >= 2 && ones <= 4) return 'дня';
  return 'дней';
}
