/** The texts of `/avatars` and `/history`, in English and Russian. */
export const avatarStrings = {
  en: {
    'avatars.none':
      'You have no avatars yet. /create_avatar trains one on 10–20 of your photos; until then /generate draws without one.',
    'avatars.title': 'Your avatars:',
    'avatars.line': '{icon} #{number} {kind}: {status} ({photos} photos, {date})',
    'avatars.default': '← /generate uses this one',
    'avatars.kind_portrait': 'portrait',
    'avatars.kind_style': 'artistic',
    'avatars.status_training': 'training',
    'avatars.status_queued': 'training (waiting in the queue)',
    'avatars.status_running': 'training (under way)',
    'avatars.status_ready': 'ready',
    'avatars.status_failed': 'failed: {error}',
    'avatars.hint':
      'Draw with one: /generate [style:] description (the newest ready avatar), or ask for avatar 2. /create_avatar makes another.',
    'history.none': 'No pictures yet: /generate anime: a cat on a roof.',
    'history.title': 'Your latest {count} pictures:',
    'history.line': '{date} · {style}{avatar} · {credits} cr. · {prompt}',
    'history.with_avatar': ', avatar #{number}',
  },
  ru: {
    'avatars.none':
      'Аватаров пока нет. /create_avatar обучит аватар на 10–20 ваших фото; а пока /generate рисует без него.',
    'avatars.title': 'Ваши аватары:',
    'avatars.line': '{icon} №{number} {kind}: {status} ({photos} фото, {date})',
    'avatars.default': '← его использует /generate',
    'avatars.kind_portrait': 'портретный',
    'avatars.kind_style': 'художественный',
    'avatars.status_training': 'обучается',
    'avatars.status_queued': 'обучается (ждёт в очереди)',
    'avatars.status_running': 'обучается (идёт обучение)',
    'avatars.status_ready': 'готов',
    'avatars.status_failed': 'не удался: {error}',
    'avatars.hint':
      'Рисовать с аватаром: /generate [стиль:] описание (самый новый готовый) или попросите аватар 2. /create_avatar — ещё один.',
    'history.none': 'Картинок пока нет: /generate аниме: кот на крыше.',
    'history.title': 'Ваши последние картинки ({count}):',
    'history.line': '{date} · {style}{avatar} · {credits} кр. · {prompt}',
    'history.with_avatar': ', аватар №{number}',
  },
};
