import { type DeskStrings, text } from '../desk-text';

/** The keys of {@link ticketStrings}. */
export type TicketStringKey =
  | 'needRegistration'
  | 'alreadyWaiting'
  | 'alreadyTaken'
  | 'opened'
  | 'noStaff'
  | 'notice'
  | 'noQuestion'
  | 'history'
  | 'bot'
  | 'take'
  | 'noticeTaken'
  | 'noticeCancelled'
  | 'takeDenied'
  | 'takeUnknown'
  | 'takeTaken'
  | 'takeClosed'
  | 'takeOwn'
  | 'takeBusy'
  | 'tookModerator'
  | 'followUps'
  | 'joined'
  | 'moderatorNamed'
  | 'moderatorUnnamed'
  | 'fromCustomer'
  | 'added'
  | 'fileOnly'
  | 'captionOnly'
  | 'notDelivered'
  | 'endNone'
  | 'closedCustomer'
  | 'cancelledCustomer'
  | 'closedByModerator'
  | 'closedByCustomer'
  | 'youClosed'
  | 'timeout'
  | 'unknownButton';

/** What the moderator hand-off says, in Russian and English. */
export const ticketStrings: DeskStrings<TicketStringKey> = {
  ru: {
    needRegistration:
      'Чтобы поговорить с модератором, сначала зарегистрируйтесь: отправьте /start и поделитесь номером телефона.',
    alreadyWaiting:
      'У вас уже есть обращение {number}, оно ждёт модератора. Модератор напишет вам здесь; чтобы отменить обращение, отправьте /end.',
    alreadyTaken:
      'У вас уже есть обращение {number}: с вами здесь общается {moderator}. Чтобы закрыть обращение, отправьте /end.',
    opened:
      'Обращение {number} открыто. Модератор напишет вам здесь. Чтобы закрыть обращение, отправьте /end.',
    noStaff:
      'Сейчас нет свободных модераторов. Обращение {number} остаётся открытым: модератор напишет вам здесь, как только сможет. Чтобы отменить его, отправьте /end.',
    notice: 'Новое обращение {number}\nКлиент: {name}\nВопрос: {question}',
    noQuestion: '(не указан)',
    history: 'Последние сообщения:',
    bot: 'Бот',
    take: 'Взять',
    noticeTaken: 'Обращение {number} ({name}) взял(а) {moderator}.',
    noticeCancelled: 'Обращение {number} ({name}) отменено клиентом.',
    takeDenied: 'Брать обращения могут только модераторы.',
    takeUnknown: 'Обращения {number} нет.',
    takeTaken: 'Обращение {number} уже взял(а) {moderator}.',
    takeClosed: 'Обращение {number} уже закрыто.',
    takeOwn: 'Обращение {number} уже у вас.',
    takeBusy:
      'Вы уже ведёте обращение {number}. Закройте его командой /end, прежде чем брать следующее.',
    tookModerator:
      'Вы взяли обращение {number} ({name}). Ваши сообщения здесь теперь уходят клиенту; /end закрывает обращение.',
    followUps: 'Пока обращение ждало, клиент написал:',
    joined: '{moderator} подключился(-ась) к разговору (обращение {number}). Пишите здесь.',
    moderatorNamed: 'модератор {name}',
    moderatorUnnamed: 'модератор',
    fromCustomer: '{number} · {name}: {text}',
    added: 'Добавили к обращению {number}. Модератор ответит здесь.',
    fileOnly: 'Файлы пока нельзя переслать: напишите, пожалуйста, текстом.',
    captionOnly: 'Переслана только подпись: файлы пока нельзя переслать.',
    notDelivered: 'Сообщение не доставлено: собеседник сейчас недоступен.',
    endNone: 'У вас нет открытого обращения. Чтобы позвать модератора, отправьте /help.',
    closedCustomer: 'Обращение {number} закрыто. Спасибо!',
    cancelledCustomer: 'Обращение {number} отменено.',
    closedByModerator:
      '{moderator} завершил(а) разговор (обращение {number}). Спасибо! Если понадобится помощь, отправьте /help.',
    closedByCustomer: 'Клиент закрыл обращение {number} ({name}).',
    youClosed: 'Обращение {number} ({name}) закрыто.',
    timeout:
      'Сейчас все модераторы заняты. Обращение {number} остаётся открытым: модератор напишет вам здесь. Чтобы отменить его, отправьте /end.',
    unknownButton: 'Эта кнопка больше не работает.',
  },
  en: {
    needRegistration:
      'To talk to a moderator, register first: send /start and share your phone number.',
    alreadyWaiting:
      'You already have request {number}; it is waiting for a moderator, who will write to you here. Send /end to cancel it.',
    alreadyTaken:
      'You already have request {number}: {moderator} is talking to you here. Send /end to close it.',
    opened: 'Request {number} is open. A moderator will write to you here. Send /end to close it.',
    noStaff:
      'No moderator is available right now. Request {number} stays open: a moderator will write to you here as soon as they can. Send /end to cancel it.',
    notice: 'New request {number}\nCustomer: {name}\nQuestion: {question}',
    noQuestion: '(none given)',
    history: 'Recent messages:',
    bot: 'Bot',
    take: 'Take',
    noticeTaken: 'Request {number} ({name}) was taken by {moderator}.',
    noticeCancelled: 'Request {number} ({name}) was cancelled by the customer.',
    takeDenied: 'Only moderators can take requests.',
    takeUnknown: 'There is no request {number}.',
    takeTaken: 'Request {number} is already taken by {moderator}.',
    takeClosed: 'Request {number} is already closed.',
    takeOwn: 'Request {number} is already yours.',
    takeBusy:
      'You are already handling request {number}. Close it with /end before taking another one.',
    tookModerator:
      'You took request {number} ({name}). Your messages here now go to the customer; /end closes the request.',
    followUps: 'While the request waited, the customer wrote:',
    joined: '{moderator} joined the conversation (request {number}). Write here.',
    moderatorNamed: 'moderator {name}',
    moderatorUnnamed: 'a moderator',
    fromCustomer: '{number} · {name}: {text}',
    added: 'Added to request {number}. A moderator will answer here.',
    fileOnly: 'Files cannot be forwarded yet: please write in text.',
    captionOnly: 'Only the caption was forwarded: files cannot be forwarded yet.',
    notDelivered: 'The message was not delivered: the other side cannot be reached now.',
    endNone: 'You have no open request. Send /help to call a moderator.',
    closedCustomer: 'Request {number} is closed. Thank you!',
    cancelledCustomer: 'Request {number} is cancelled.',
    closedByModerator:
      '{moderator} ended the conversation (request {number}). Thank you! Send /help if you need a moderator again.',
    closedByCustomer: 'The customer closed request {number} ({name}).',
    youClosed: 'Request {number} ({name}) is closed.',
    timeout:
      'All moderators are busy right now. Request {number} stays open: a moderator will write to you here. Send /end to cancel it.',
    unknownButton: 'This button no longer works.',
  },
};

/** A ticket text in the locale, with placeholders filled in. */
export function ticketText(
  locale: 'ru' | 'en',
  key: TicketStringKey,
  params: Record<string, string | number> = {},
): string {
  return text(ticketStrings, locale, key, params);
}

/**
 * How a customer sees a moderator: `moderator Bob` (never their account), or `a moderator`
 * when the messenger gave no name; `capital` starts it with a capital letter.
 */
export function moderatorLabel(
  locale: 'ru' | 'en',
  firstName: string | undefined,
  capital = false,
): string {
  const label = firstName
    ? ticketText(locale, 'moderatorNamed', { name: firstName })
    : ticketText(locale, 'moderatorUnnamed');
  if (!capital) return label;
  const bare = firstName ? label : label.replace(/^a /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}
