/** The texts of `avatar_generate`, in English and Russian, under `generate.*` keys. */
export const generationStrings = {
  en: {
    'generate.no_prompt': 'Describe the picture: /generate anime: a cat on a roof at sunset.',
    'generate.unknown_style': 'There is no style "{style}". Styles: {styles}.',
    'generate.too_long':
      'The description is {length} characters with the style; the image service takes at most {max}. Shorten it.',
    'generate.insufficient':
      'A picture costs {price} credits and your balance is {balance}. Top up with /topup.',
    'generate.failed':
      'The picture could not be made ({error}). Your {price} credits were returned.',
    'generate.caption': '{style}: {prompt}',
    'generate.caption_avatar': '{style}, avatar #{number}: {prompt}',
    'generate.no_such_avatar':
      'There is no avatar "{avatar}": you have {count}. /avatars lists them; /create_avatar makes one.',
    'generate.avatar_training':
      'Avatar #{number} is still training: I will write when it is ready.',
    'generate.avatar_failed': 'Avatar #{number} failed to train: /create_avatar makes a new one.',
    'generate.preview':
      'This is a preview made on this machine: the bot has no image service configured yet.',
    'generate.charged': '{price} credits; balance {balance}.',
  },
  ru: {
    'generate.no_prompt': 'Опишите картинку: /generate аниме: кот на крыше на закате.',
    'generate.unknown_style': 'Стиля «{style}» нет. Стили: {styles}.',
    'generate.too_long':
      'Описание со стилем — {length} символов, а сервис картинок принимает не больше {max}. Сократите его.',
    'generate.insufficient':
      'Картинка стоит {price} кредитов, а на балансе {balance}. Пополните баланс: /topup.',
    'generate.failed':
      'Картинку сделать не удалось ({error}). {price} кредитов вернулись на баланс.',
    'generate.caption': '{style}: {prompt}',
    'generate.caption_avatar': '{style}, аватар №{number}: {prompt}',
    'generate.no_such_avatar':
      'Аватара «{avatar}» нет: у вас их {count}. Список — /avatars; создать — /create_avatar.',
    'generate.avatar_training': 'Аватар №{number} ещё обучается: я напишу, когда он будет готов.',
    'generate.avatar_failed': 'Аватар №{number} не обучился: создайте новый — /create_avatar.',
    'generate.preview':
      'Это предпросмотр, нарисованный на этой машине: сервис картинок у бота ещё не настроен.',
    'generate.charged': '{price} кредитов; баланс {balance}.',
  },
};
