import type { DeskStrings } from '../desk-text';

/** What registration says, in Russian and English. */
export const registrationStrings: DeskStrings<
  | 'welcome'
  | 'commands'
  | 'ask'
  | 'button'
  | 'noButton'
  | 'registered'
  | 'already'
  | 'notOwn'
  | 'invalid'
  | 'again'
  | 'failed'
> = {
  ru: {
    welcome:
      'Здравствуйте! Это бот {bank}. Задайте вопрос своими словами — я отвечу по базе знаний банка и покажу источник.',
    commands:
      'Команды: /help — позвать модератора, /end — завершить чат с модератором, /unsubscribe — не получать рассылки.',
    ask: 'Чтобы открывать обращения к модераторам, зарегистрируйтесь: нажмите кнопку «{button}» ниже — бот получит только ваш собственный номер.',
    button: '📱 Поделиться номером',
    noButton:
      'Регистрация по номеру телефона доступна в Telegram (там номер подтверждает сам мессенджер). Здесь вы можете задавать вопросы.',
    registered: 'Спасибо, вы зарегистрированы: {phone}. Номер хранится в зашифрованном виде.',
    already: 'Вы уже зарегистрированы ({phone}).',
    notOwn:
      'Этот контакт не ваш. Для регистрации нажмите кнопку «{button}» — она отправляет только ваш собственный номер.',
    invalid: 'Не получилось распознать номер телефона. Нажмите кнопку «{button}» ещё раз.',
    again: 'Номер не дошёл до бота. Нажмите кнопку «{button}» ещё раз.',
    failed: 'Не удалось сохранить номер. Попробуйте позже.',
  },
  en: {
    welcome:
      "Hello! This is {bank}'s bot. Ask a question in your own words: I answer from the bank's knowledge base and show the source.",
    commands:
      'Commands: /help calls a moderator, /end ends the chat with a moderator, /unsubscribe stops broadcasts.',
    ask: 'To open requests to moderators, register: press "{button}" below. The bot gets only your own number.',
    button: '📱 Share my phone number',
    noButton:
      'Registration with a phone number is available on Telegram (where the messenger confirms the number). Here you can ask questions.',
    registered: 'Thank you, you are registered: {phone}. The number is stored encrypted.',
    already: 'You are already registered ({phone}).',
    notOwn:
      'This contact is not yours. To register, press "{button}": it sends only your own number.',
    invalid: 'The phone number could not be read. Press "{button}" again.',
    again: 'The number did not reach the bot. Press "{button}" again.',
    failed: 'The number could not be saved. Please try again later.',
  },
};
