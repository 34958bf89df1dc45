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
    'coach.bad_timezone':
      'I do not know the time zone "{zone}": write a city (Tashkent, Moscow) or a zone such as Asia/Tashkent.',
    'coach.timezone': '🕒 Your time zone: {zone}.',
    'coach.checkin_reminder':
      '⏰ Time for your daily check-in: what did you do for your goals today? /done',
    'coach.checkin_label': 'daily check-in',
    'coach.checkin_set': '⏰ A check-in reminder every day at {time}.',
    'coach.summary_label': 'weekly summary',
    'coach.summary_set': '📊 A summary of your week every Sunday at 19:00.',
    'coach.week_title': '📊 Your week',
    'coach.week_facts':
      'Days with a check-in: {active}/7 · points: +{points} · streak: {streak} {days} · level: {level}',
    'coach.week_goal': '• {title}: {count} check-ins ({amount})',
    'coach.words_great': '🔥 A great week: keep the rhythm going!',
    'coach.words_good': '👍 A good week: one more day next week makes it better.',
    'coach.words_start': '🌱 A new week is a fresh start: one small step a day is enough.',
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
    'coach.bad_timezone':
      'Не знаю часовой пояс «{zone}»: напишите город (Ташкент, Москва) или пояс, например Asia/Tashkent.',
    'coach.timezone': '🕒 Ваш часовой пояс: {zone}.',
    'coach.checkin_reminder': '⏰ Время отметиться: что вы сегодня сделали для своих целей? /done',
    'coach.checkin_label': 'ежедневная отметка',
    'coach.checkin_set': '⏰ Напоминание об отметке каждый день в {time}.',
    'coach.summary_label': 'итоги недели',
    'coach.summary_set': '📊 Итоги недели — каждое воскресенье в 19:00.',
    'coach.week_title': '📊 Ваша неделя',
    'coach.week_facts':
      'Дней с отметкой: {active}/7 · очки: +{points} · серия: {streak} {days} · уровень: {level}',
    'coach.week_goal': '• {title}: отметок {count} ({amount})',
    'coach.words_great': '🔥 Отличная неделя: держите ритм!',
    'coach.words_good': '👍 Хорошая неделя: ещё один день на следующей — и будет отлично.',
    'coach.words_start': '🌱 Новая неделя — новый старт: достаточно одного маленького шага в день.',
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
