/** The texts of the credit tools, in English and Russian, under `credits.*` keys. */
export const creditsStrings = {
  en: {
    'credits.no_user':
      'Credits belong to a user: run this in a chat, or pass --user from the command line.',
    'credits.balance': 'Your balance: {balance} credits.',
    'credits.prices':
      'Prices: a generation {generation}, training an avatar {training}, a minute of transcription {minute}.',
    'credits.history': 'Latest:',
    'credits.pack': '+{credits} credits for {stars} ⭐',
    'credits.no_pack': 'There is no such pack: choose 1 to {count}.',
    'credits.invoice_text': '{credits} credits for {stars} Telegram Stars:',
    'credits.invoice_title': '{credits} credits',
    'credits.invoice_description': '{credits} credits for avatars, pictures and transcription.',
    'credits.admins_only': 'Only admins can grant credits.',
    'credits.bad_amount':
      'Give a whole number of credits from 1 to 1,000,000: /grant <user> <amount>.',
    'credits.unknown_user':
      'No user "{user}": give a user id (usr_...) or an identity such as telegram:123456.',
    'credits.granted': 'Added {amount} credits to {user}: their balance is {balance}.',
    'credits.stale_invoice': 'This invoice is out of date: send /topup for a new one.',
    'credits.bought': 'Thank you! {credits} credits added: your balance is {balance}.',
  },
  ru: {
    'credits.no_user':
      'Кредиты принадлежат пользователю: выполните это в чате или передайте --user в командной строке.',
    'credits.balance': 'Ваш баланс: {balance} кредитов.',
    'credits.prices':
      'Цены: генерация {generation}, обучение аватара {training}, минута расшифровки {minute}.',
    'credits.history': 'Последние операции:',
    'credits.pack': '+{credits} кредитов за {stars} ⭐',
    'credits.no_pack': 'Такого пакета нет: выберите от 1 до {count}.',
    'credits.invoice_text': '{credits} кредитов за {stars} Telegram Stars:',
    'credits.invoice_title': '{credits} кредитов',
    'credits.invoice_description': '{credits} кредитов на аватары, картинки и расшифровку.',
    'credits.admins_only': 'Начислять кредиты могут только администраторы.',
    'credits.bad_amount':
      'Укажите целое число кредитов от 1 до 1 000 000: /grant <пользователь> <сумма>.',
    'credits.unknown_user':
      'Пользователь «{user}» не найден: укажите id (usr_...) или, например, telegram:123456.',
    'credits.granted': 'Начислено {amount} кредитов пользователю {user}: баланс {balance}.',
    'credits.stale_invoice': 'Этот счёт устарел: отправьте /topup, чтобы получить новый.',
    'credits.bought': 'Спасибо! Начислено {credits} кредитов: ваш баланс {balance}.',
  },
};
