/** Texts of the avatar studio's conversation and news, in Russian and English. */
export const studioStrings = {
  en: {
    'studio.intro':
      'Let’s make your personal avatar: I train a model on 10–20 of your photos, and then draw you in any style. Training costs {price} credits (your balance: {balance}).\n\nWhat kind of avatar?',
    'studio.kind_portrait': '🧑 Portrait: photos that look like you',
    'studio.kind_style': '🎨 Artistic: you in painted and drawn styles',
    'studio.kind_unknown': 'Press a button, or write “portrait” or “artistic”.',
    'studio.kept_photos':
      'I still have {count} photos from before: send more, or /cancel to throw them away.',
    'studio.send_photos':
      'Send {min}–{max} photos of yourself: one face, good light, different angles and clothes; no sunglasses, no other people. Send them as photos or as files (JPEG, PNG or WebP; at least {side} px a side). Photos {count}/{min}.',
    'studio.photo_accepted': '✅ Photo {count}/{min} accepted.',
    'studio.photo_accepted_more':
      '✅ Photo {count} accepted: up to {max}; press Done when you are ready.',
    'studio.done_button': 'Done: train my avatar ({count} photos)',
    'studio.need_photo':
      'Send a photo (or an image file). Photos so far: {count}/{min}. /cancel stops.',
    'studio.need_more': 'I need at least {min} photos to train; you sent {count}.',
    'studio.refused_too-large':
      '❌ Photo refused: it is {megabytes} MB, the limit is {max} MB. Send a smaller one.',
    'studio.refused_not-image': '❌ Not a photo: this is {kind}. Send a JPEG, PNG or WebP image.',
    'studio.refused_broken': '❌ I could not read this image: send it again or another one.',
    'studio.refused_too-small':
      '❌ Photo refused: {width}×{height} px is too small; the shorter side needs {min} px.',
    'studio.refused_too-big':
      '❌ Photo refused: {width}×{height} px is too large; at most {max} px a side.',
    'studio.refused_duplicate': '❌ This is the same photo as number {of}: send a different one.',
    'studio.refused_download': '❌ I could not download this file: {error}',
    'studio.progress': 'Photos {count}/{min}.',
    'studio.insufficient':
      'Training an avatar costs {price} credits, and your balance is {balance}. Top up with /topup, then send /create_avatar again (your photos are kept).',
    'studio.no_training':
      'The image service of this bot cannot train avatars: ask the bot’s owner to set up FAL (images: falImageGenerator()).',
    'studio.started':
      '🚀 Training started on {count} photos: {price} credits charged, balance {balance}. It takes a while; I will write when your avatar is ready. /avatars shows its status.',
    'studio.submit_failed':
      '⚠️ The image service refused to start training: {error}. Your {price} credits are back, and your photos are kept: send /create_avatar to try again.',
    'studio.running': '⏳ Avatar #{number} is training now; I will write when it is ready.',
    'studio.ready':
      '✅ Your avatar #{number} ({kind}) is ready! Try it: /generate me in a leather jacket on a night street. /avatars lists your avatars.',
    'studio.failed':
      '⚠️ Training of avatar #{number} failed: {error}. {credits} credits are back on your balance.',
    'studio.kind.portrait': 'portrait',
    'studio.kind.style': 'artistic',
    'studio.cancelled': 'Avatar creation cancelled; the photos you sent are deleted.',
    'studio.timed_out': 'the service did not finish within {minutes} minutes',
    'studio.lost': 'the training job was not submitted (the bot stopped while starting it)',
  },
  ru: {
    'studio.intro':
      'Создадим ваш персональный аватар: я обучу модель на 10–20 ваших фото, а потом буду рисовать вас в любом стиле. Обучение стоит {price} кредитов (ваш баланс: {balance}).\n\nКакой аватар?',
    'studio.kind_portrait': '🧑 Портретный: фото, похожие на вас',
    'studio.kind_style': '🎨 Художественный: вы в живописных и рисованных стилях',
    'studio.kind_unknown': 'Нажмите кнопку или напишите «портрет» или «художественный».',
    'studio.kept_photos':
      'У меня остались {count} фото с прошлого раза: пришлите ещё или /cancel, чтобы удалить их.',
    'studio.send_photos':
      'Пришлите {min}–{max} своих фото: одно лицо, хороший свет, разные ракурсы и одежда; без очков и других людей. Можно как фото или как файлы (JPEG, PNG или WebP; от {side} px по стороне). Фото {count}/{min}.',
    'studio.photo_accepted': '✅ Фото {count}/{min} принято.',
    'studio.photo_accepted_more':
      '✅ Фото {count} принято: можно до {max}; нажмите «Готово», когда закончите.',
    'studio.done_button': 'Готово: обучить аватар ({count} фото)',
    'studio.need_photo':
      'Пришлите фото (или файл с изображением). Сейчас фото: {count}/{min}. /cancel — отмена.',
    'studio.need_more': 'Для обучения нужно не меньше {min} фото; вы прислали {count}.',
    'studio.refused_too-large':
      '❌ Фото не принято: {megabytes} МБ, а можно не больше {max} МБ. Пришлите файл поменьше.',
    'studio.refused_not-image':
      '❌ Это не фото, а {kind}. Пришлите изображение JPEG, PNG или WebP.',
    'studio.refused_broken':
      '❌ Не получается прочитать изображение: пришлите его ещё раз или другое.',
    'studio.refused_too-small':
      '❌ Фото не принято: {width}×{height} px — слишком мало; короткая сторона должна быть от {min} px.',
    'studio.refused_too-big':
      '❌ Фото не принято: {width}×{height} px — слишком много; не больше {max} px по стороне.',
    'studio.refused_duplicate': '❌ Это то же фото, что № {of}: пришлите другое.',
    'studio.refused_download': '❌ Не удалось скачать файл: {error}',
    'studio.progress': 'Фото {count}/{min}.',
    'studio.insufficient':
      'Обучение аватара стоит {price} кредитов, а на балансе {balance}. Пополните его командой /topup и снова отправьте /create_avatar (фото сохранятся).',
    'studio.no_training':
      'Сервис изображений этого бота не умеет обучать аватары: попросите владельца бота подключить FAL (images: falImageGenerator()).',
    'studio.started':
      '🚀 Обучение началось на {count} фото: списано {price} кредитов, баланс {balance}. Это займёт время; я напишу, когда аватар будет готов. Статус — в /avatars.',
    'studio.submit_failed':
      '⚠️ Сервис изображений не принял обучение: {error}. {price} кредитов возвращены, фото сохранены: отправьте /create_avatar, чтобы попробовать снова.',
    'studio.running': '⏳ Аватар №{number} обучается; я напишу, когда он будет готов.',
    'studio.ready':
      '✅ Ваш аватар №{number} ({kind}) готов! Попробуйте: /generate я в кожаной куртке на ночной улице. Список аватаров — /avatars.',
    'studio.failed':
      '⚠️ Обучение аватара №{number} не удалось: {error}. {credits} кредитов возвращены на баланс.',
    'studio.kind.portrait': 'портретный',
    'studio.kind.style': 'художественный',
    'studio.cancelled': 'Создание аватара отменено; присланные фото удалены.',
    'studio.timed_out': 'сервис не закончил за {minutes} минут',
    'studio.lost': 'задача обучения не была отправлена (бот остановился во время отправки)',
  },
};

/** A key of {@link studioStrings}. */
export type StudioStringKey = keyof (typeof studioStrings)['en'];

/** The text for `key` in the locale (Russian for `ru*`, else English), with `{name}` filled in. */
export function studioText(
  locale: string,
  key: StudioStringKey,
  params: Record<string, string | number> = {},
): string {
  const table = locale.toLowerCase().startsWith('ru') ? studioStrings.ru : studioStrings.en;
  return table[key].replace(/\{([\w-]+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
