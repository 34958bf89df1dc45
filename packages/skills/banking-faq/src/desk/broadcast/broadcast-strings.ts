import type { DeskStrings } from '../desk-text';

/** Keys of the broadcast's texts. */
export type BroadcastKey =
  | 'refused'
  | 'askText'
  | 'emptyText'
  | 'cancelled'
  | 'preview'
  | 'chooseAudience'
  | 'confirm'
  | 'nobody'
  | 'audience.all'
  | 'audience.registered'
  | 'audience.ru'
  | 'audience.en'
  | 'button.all'
  | 'button.registered'
  | 'button.ru'
  | 'button.en'
  | 'button.send'
  | 'button.back'
  | 'button.cancel'
  | 'gone'
  | 'notAuthor'
  | 'started'
  | 'progress'
  | 'report'
  | 'report.uncertain'
  | 'footer'
  | 'optedOut'
  | 'optedIn';

/** The broadcast's texts in Russian and English. */
export const broadcastStrings: DeskStrings<BroadcastKey> = {
  ru: {
    refused: 'Рассылки могут отправлять только модераторы и администраторы.',
    askText:
      'Пришлите текст рассылки одним сообщением. Получатели увидят его как есть. /cancel — отменить.',
    emptyText: 'Нужен текст рассылки. Пришлите его одним сообщением или /cancel, чтобы отменить.',
    cancelled: 'Рассылка отменена.',
    preview: 'Предпросмотр. Получатели увидят:\n\n{body}',
    chooseAudience: 'Кому отправить?',
    confirm: 'Аудитория: {audience}, получателей: {count}. Отправить?',
    nobody: 'В этой аудитории некому отправить рассылку. Выберите другую.',
    'audience.all': 'все',
    'audience.registered': 'зарегистрированные',
    'audience.ru': 'русскоязычные',
    'audience.en': 'англоязычные',
    'button.all': 'Все · {count}',
    'button.registered': 'Зарегистрированные · {count}',
    'button.ru': 'Русский · {count}',
    'button.en': 'English · {count}',
    'button.send': 'Отправить {count}',
    'button.back': 'Назад',
    'button.cancel': 'Отмена',
    gone: 'Этой рассылки больше нет или она уже отправляется.',
    notAuthor: 'Эту рассылку готовит другой сотрудник.',
    started: 'Рассылка запущена.',
    progress: 'Отправляю… {done}/{total}',
    report:
      'Рассылка завершена. Получателей: {total}.\nОтправлено: {sent}\nНе удалось: {failed}\nЗаблокировали бота: {blocked}\nПропущено (отписались или заблокировали раньше): {skipped}',
    'report.uncertain':
      'Неизвестно (бот перезапустился во время отправки; повторно не отправлялось): {uncertain}',
    footer: 'Чтобы не получать рассылки, отправьте /unsubscribe',
    optedOut: 'Вы отписались от рассылок. Чтобы снова получать их, отправьте /subscribe.',
    optedIn: 'Вы снова будете получать рассылки. Отписаться: /unsubscribe.',
  },
  en: {
    refused: 'Only moderators and admins can send broadcasts.',
    askText:
      'Send the text of the broadcast in one message. Recipients will see it as written. /cancel to cancel.',
    emptyText: 'The broadcast needs a text. Send it in one message, or /cancel to cancel.',
    cancelled: 'The broadcast is cancelled.',
    preview: 'Preview. Recipients will see:\n\n{body}',
    chooseAudience: 'Who should get it?',
    confirm: 'Audience: {audience}, {count} recipients. Send?',
    nobody: 'Nobody in this audience can receive the broadcast. Choose another one.',
    'audience.all': 'everyone',
    'audience.registered': 'registered users',
    'audience.ru': 'Russian speakers',
    'audience.en': 'English speakers',
    'button.all': 'All · {count}',
    'button.registered': 'Registered · {count}',
    'button.ru': 'Русский · {count}',
    'button.en': 'English · {count}',
    'button.send': 'Send to {count}',
    'button.back': 'Back',
    'button.cancel': 'Cancel',
    gone: 'This broadcast is gone or already being sent.',
    notAuthor: 'Another staff member is preparing this broadcast.',
    started: 'The broadcast has started.',
    progress: 'Sending… {done}/{total}',
    report:
      'The broadcast is finished. Recipients: {total}.\nSent: {sent}\nFailed: {failed}\nBlocked the bot: {blocked}\nSkipped (opted out or blocked earlier): {skipped}',
    'report.uncertain':
      'Uncertain (the bot restarted during the send; not sent again): {uncertain}',
    footer: 'To stop these messages, send /unsubscribe',
    optedOut: 'You will no longer receive broadcasts. Send /subscribe to get them again.',
    optedIn: 'You will receive broadcasts again. Send /unsubscribe to stop.',
  },
};
