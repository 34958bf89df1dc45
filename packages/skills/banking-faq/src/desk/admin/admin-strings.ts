import type { DeskStrings } from '../desk-text';

/** What the admin panel says, in Russian and English. */
export const adminStrings: DeskStrings<
  | 'denied'
  | 'title'
  | 'users'
  | 'tickets'
  | 'broadcasts'
  | 'moderators'
  | 'audit'
  | 'usersTitle'
  | 'ticketsTitle'
  | 'broadcastsTitle'
  | 'moderatorsTitle'
  | 'auditTitle'
  | 'none'
  | 'grantHint'
  | 'granted'
  | 'revoked'
  | 'youModerator'
  | 'youUser'
  | 'notFound'
  | 'cannotChange'
  | 'usage'
> = {
  ru: {
    denied: 'Панель администратора доступна только администраторам.',
    title:
      'Панель администратора: пользователей {members}, зарегистрировано {registered}, открытых обращений {open}, модераторов {moderators}.',
    users: 'Пользователи',
    tickets: 'Обращения',
    broadcasts: 'Рассылки',
    moderators: 'Модераторы',
    audit: 'Журнал',
    usersTitle:
      'Пользователи: всего {members}, зарегистрировано {registered}, заблокировали бота {blocked}, отписались от рассылок {optedOut}; русский {ru}, английский {en}. Последние:',
    ticketsTitle:
      'Обращения: ждут {waiting}, в работе {taken}, закрыто {closed}; среднее ожидание {wait}; без ответа вовремя {timedOut}. Последние:',
    broadcastsTitle: 'Рассылки, последние:',
    moderatorsTitle: 'Модераторы:',
    auditTitle: 'Журнал действий, последние записи:',
    none: '(нет)',
    grantHint:
      'Назначить модератора: кнопка под пользователем ниже или /admin grant <id пользователя>. Снять: /admin revoke <id>.',
    granted: '{name} теперь модератор.',
    revoked: '{name} больше не модератор.',
    youModerator:
      'Вам выданы права модератора: вы получаете обращения клиентов (кнопка «Взять») и можете делать /broadcast.',
    youUser: 'Права модератора сняты.',
    notFound: 'Пользователь «{reference}» не найден.',
    cannotChange: 'Роль {role} здесь не меняется: используйте /role.',
    usage: 'Использование: /admin, /admin grant <id>, /admin revoke <id>.',
  },
  en: {
    denied: 'The admin panel is for admins only.',
    title:
      'Admin panel: {members} users, {registered} registered, {open} open tickets, {moderators} moderators.',
    users: 'Users',
    tickets: 'Tickets',
    broadcasts: 'Broadcasts',
    moderators: 'Moderators',
    audit: 'Audit log',
    usersTitle:
      'Users: {members} in all, {registered} registered, {blocked} blocked the bot, {optedOut} opted out of broadcasts; Russian {ru}, English {en}. Newest:',
    ticketsTitle:
      'Tickets: {waiting} waiting, {taken} taken, {closed} closed; average wait {wait}; {timedOut} not taken in time. Newest:',
    broadcastsTitle: 'Broadcasts, newest:',
    moderatorsTitle: 'Moderators:',
    auditTitle: 'Audit log, newest entries:',
    none: '(none)',
    grantHint:
      'Make a moderator: the button under a user below, or /admin grant <user id>. Revoke: /admin revoke <id>.',
    granted: '{name} is a moderator now.',
    revoked: '{name} is no longer a moderator.',
    youModerator:
      'You are a moderator now: you get customer tickets (the Take button) and may use /broadcast.',
    youUser: 'Your moderator rights were revoked.',
    notFound: 'No user "{reference}".',
    cannotChange: 'The {role} role is not changed here: use /role.',
    usage: 'Usage: /admin, /admin grant <id>, /admin revoke <id>.',
  },
};
