import type { StringTable } from './translate';

/** The runtime's own replies, in English and Russian. Keys are stable; skills use their own tables. */
export const coreStrings = {
  en: {
    'help.title': '{bot}: what I can do',
    'help.builtins': 'Built in',
    'help.skills': 'Skills',
    'help.no_skills': 'No skills are loaded yet. Add some to botwire.config.ts.',
    'help.command.help': 'list what I can do',
    'help.command.start': 'start talking to me',
    'help.command.whoami': 'show your id and role',
    'help.command.admit': 'let a user in: /admit <user id>',
    'help.command.revoke': "take a user's access away: /revoke <user id>",
    'help.command.role': 'set a role: /role <user id> <owner|admin|moderator|premium|user>',
    'help.command.users': 'list the users who have access',
    'help.command.claim': 'claim the bot with the code printed at start-up',
    'start.greeting': 'Hello, {name}! I am {bot}. Send /help to see what I can do.',
    'fallback.not_understood': "I don't understand that yet. Send /help to see what I can do.",
    'fallback.no_model':
      "I don't understand that yet: without a language model I know only my commands. Send /help to see them.",
    'fallback.try_phrases':
      "I don't understand that yet: without a language model I know only some phrases, such as {phrases}. Send /help for all of them.",
    'help.phrases': 'Say',
    'help.no_model':
      'I run without a language model, so I understand only the commands and phrases above. To talk freely, connect one: set BOTWIRE_MODEL, for example BOTWIRE_MODEL=openai:gpt-4o-mini with OPENAI_API_KEY, or BOTWIRE_MODEL=ollama:llama3.2 (see docs/reference/models.md).',
    'phrase.quoted': '“{phrase}”',
    'command.unknown': 'There is no command /{command}. Send /help to see the commands.',
    'command.usage': 'Usage: /{command} {usage}',
    'access.private':
      'This bot is private. Ask its owner to let you in: they can send /admit {userId}',
    'access.claim_hint':
      '{bot} has no owner yet. If you are its owner, send the claim code shown in the terminal where the bot runs (it looks like 123-456-789).',
    'access.requested':
      "This bot is private. I have asked its owner to let you in; you'll hear from me when they do. Your id: {userId}",
    'access.request_pending': 'Your request is waiting for the owner. Your id: {userId}',
    'access.request_notice': '{who} asks to use the bot.',
    'access.admit_button': 'Admit',
    'access.decline_button': 'Decline',
    'access.requests_title': 'Waiting for access:',
    'access.declined': 'Declined the request of {userId}.',
    'access.already_admitted': 'User {userId} already has access.',
    'access.welcome': 'You can use {bot} now. Send /help to see what I can do.',
    'help.command.token': 'make a new web sign-in link (the old one stops working)',
    'token.rotated': 'New web sign-in link: {link}\nThe old link no longer works.',
    'token.rotated_elsewhere':
      'A new web sign-in token was made; the link is printed in the terminal where the bot runs.',
    'token.no_server': 'This bot has no web server, so there is no sign-in token.',
    'conversation.cancelled': 'Cancelled.',
    'conversation.nothing_to_cancel': 'There is nothing to cancel.',
    'conversation.expired': 'The earlier form timed out, so I dropped it.',
    'conversation.invalid': "That doesn't fit. {hint}",
    'conversation.too_many_attempts':
      'That did not work several times, so I stopped. Send /cancel or start again.',
    'help.command.cancel': 'stop the current form or question',
    'help.command.jobs': 'your reminders and background jobs, with their state',
    'jobs.none': 'You have no jobs or reminders.',
    'jobs.header': 'Your jobs ({count}):',
    'jobs.line': '• {what} — {state}, {when}',
    'jobs.next': 'next {time}',
    'jobs.finished': 'at {time}',
    'jobs.state.queued': 'waiting',
    'jobs.state.running': 'running',
    'jobs.state.retrying': 'retrying',
    'jobs.state.done': 'done',
    'jobs.state.failed': 'failed',
    'jobs.state.cancelled': 'cancelled',
    'background.queued':
      "Queued: I'm doing it in the background and will send the result here when it's ready. /jobs shows how it goes.",
    'background.what':
      'What should I do in the background? Write the task itself, for example: “find reports on heat pumps and make a PDF, in the background”.',
    'background.failed': 'The background task “{task}” did not finish: {reason}',
    'access.claimed': 'You are now the owner of {bot}. Send /help to see what I can do.',
    'payment.declined': 'This payment cannot be taken now. Please try again later.',
    'payment.unhandled':
      'Your payment arrived, but it could not be credited automatically. The bot’s operator has been told and will sort it out.',
    'access.claim_wrong': 'That claim code is not right.',
    'access.claim_taken': 'This bot already has an owner.',
    'access.forbidden': 'Only {role} may do that.',
    'access.admitted': 'User {userId} can use the bot now (role: {role}).',
    'access.revoked': 'User {userId} no longer has access.',
    'access.role_set': 'User {userId} is now {role}.',
    'access.unknown_user':
      'I know no user {userId}. They must write to the bot first; then use the id it tells them.',
    'access.bad_role': 'Unknown role "{role}". Use owner, admin, moderator, premium or user.',
    'access.cannot_change_self': 'You cannot change your own role.',
    'access.users_title': 'Users with access:',
    'access.whoami': 'Your id: {userId}\nRole: {role}',
    'role.none': 'none',
    'error.internal': 'Something went wrong on my side ({code}). Please try again later.',
    'error.tool_failed': 'The tool {tool} failed: {message}',
    'error.arguments_invalid': 'That does not fit /{command}: {message}',
    'error.permission_denied': 'The bot is not allowed to do that: {message}',
    'error.timeout': 'That took too long and was stopped.',
    'options.hint': 'Answer with the number of an option.',
    'limit.reached': "You've reached today's message limit ({limit}). It resets at midnight UTC.",
    'limit.model_calls_reached':
      "You've reached today's limit of model requests ({limit}). It resets at midnight UTC.",
    'limit.tokens_reached':
      "You've used up today's token limit ({limit}). It resets at midnight UTC.",
    'model.unavailable':
      "I can't reach my language model right now, so I can't answer that. Commands still work: send /help.",
    'vision.unsupported':
      "I can't see pictures: my language model ({model}) does not take images. Tell me in words what is on it?",
    'vision.no_model':
      "I can't see pictures: I run without a language model. Tell me in words what is on it?",
    'vision.not_image':
      "I couldn't read that picture. Send a JPEG, PNG, WebP or GIF photo of at most {megabytes} MB.",
    'confirm.ask':
      'Step {step} would run {tool} with data that came from outside (a web page, a file or an API):\n{arguments}\nShall I go ahead?',
    'confirm.ask_always':
      'Step {step} would run {tool}, which changes something outside the bot:\n{arguments}\nShall I go ahead?',
    'confirm.yes': 'Yes, go ahead',
    'confirm.no': 'No, cancel',
    'confirm.cancelled': 'Cancelled: {tool} was not run.',
    'confirm.nothing': 'There is nothing waiting for your confirmation.',
  },
  ru: {
    'help.title': '{bot}: что я умею',
    'help.builtins': 'Встроенные команды',
    'help.skills': 'Навыки',
    'help.no_skills': 'Навыки ещё не подключены. Добавьте их в botwire.config.ts.',
    'help.command.help': 'показать, что я умею',
    'help.command.start': 'начать разговор',
    'help.command.whoami': 'показать ваш id и роль',
    'help.command.admit': 'дать доступ: /admit <id пользователя>',
    'help.command.revoke': 'забрать доступ: /revoke <id пользователя>',
    'help.command.role':
      'назначить роль: /role <id пользователя> <owner|admin|moderator|premium|user>',
    'help.command.users': 'список пользователей с доступом',
    'help.command.claim': 'стать владельцем бота по коду, напечатанному при запуске',
    'start.greeting': 'Здравствуйте, {name}! Я {bot}. Отправьте /help, чтобы узнать, что я умею.',
    'fallback.not_understood':
      'Я пока этого не понимаю. Отправьте /help, чтобы узнать, что я умею.',
    'fallback.no_model':
      'Я пока этого не понимаю: без языковой модели я знаю только свои команды. Отправьте /help, чтобы их увидеть.',
    'fallback.try_phrases':
      'Я пока этого не понимаю: без языковой модели я знаю только некоторые фразы, например {phrases}. Отправьте /help, чтобы увидеть все.',
    'help.phrases': 'Скажите',
    'help.no_model':
      'Я работаю без языковой модели, поэтому понимаю только команды и фразы выше. Чтобы говорить свободно, подключите модель: задайте BOTWIRE_MODEL, например BOTWIRE_MODEL=openai:gpt-4o-mini вместе с OPENAI_API_KEY или BOTWIRE_MODEL=ollama:llama3.2 (см. docs/reference/models.md).',
    'phrase.quoted': '«{phrase}»',
    'command.unknown': 'Команды /{command} нет. Отправьте /help, чтобы увидеть список команд.',
    'command.usage': 'Как использовать: /{command} {usage}',
    'access.private':
      'Это личный бот. Попросите владельца дать вам доступ: он может отправить /admit {userId}',
    'access.claim_hint':
      'У бота {bot} ещё нет владельца. Если вы его владелец, отправьте код, показанный в терминале, где запущен бот (вида 123-456-789).',
    'access.requested':
      'Это личный бот. Я попросил владельца дать вам доступ и сообщу, когда он это сделает. Ваш id: {userId}',
    'access.request_pending': 'Ваш запрос ждёт решения владельца. Ваш id: {userId}',
    'access.request_notice': '{who} просит доступ к боту.',
    'access.admit_button': 'Пустить',
    'access.decline_button': 'Отклонить',
    'access.requests_title': 'Ждут доступа:',
    'access.declined': 'Запрос {userId} отклонён.',
    'access.already_admitted': 'У пользователя {userId} уже есть доступ.',
    'access.welcome':
      'Теперь вы можете пользоваться ботом {bot}. Отправьте /help, чтобы узнать, что я умею.',
    'help.command.token': 'новая ссылка для входа в веб-чат (старая перестанет работать)',
    'token.rotated': 'Новая ссылка для входа в веб-чат: {link}\nСтарая больше не работает.',
    'token.rotated_elsewhere':
      'Создан новый токен для входа в веб-чат; ссылка напечатана в терминале, где запущен бот.',
    'token.no_server': 'У этого бота нет веб-сервера, поэтому и токена для входа нет.',
    'conversation.cancelled': 'Отменено.',
    'conversation.nothing_to_cancel': 'Отменять нечего.',
    'conversation.expired': 'Время на заполнение прошлой формы вышло, я её сбросил.',
    'conversation.invalid': 'Не подходит. {hint}',
    'conversation.too_many_attempts':
      'Несколько раз не получилось, я остановился. Отправьте /cancel или начните заново.',
    'help.command.cancel': 'прервать текущую форму или вопрос',
    'help.command.jobs': 'ваши напоминания и фоновые задачи, с их состоянием',
    'jobs.none': 'У вас нет задач и напоминаний.',
    'jobs.header': 'Ваши задачи ({count}):',
    'jobs.line': '• {what} — {state}, {when}',
    'jobs.next': 'следующий раз {time}',
    'jobs.finished': 'в {time}',
    'jobs.state.queued': 'ждёт',
    'jobs.state.running': 'выполняется',
    'jobs.state.retrying': 'повторная попытка',
    'jobs.state.done': 'выполнена',
    'jobs.state.failed': 'не удалась',
    'jobs.state.cancelled': 'отменена',
    'background.queued':
      'Поставил в очередь: делаю в фоне и пришлю результат сюда, когда будет готово. /jobs покажет, как идут дела.',
    'background.what':
      'Что сделать в фоне? Напишите саму задачу, например: «найди отчёты о тепловых насосах и сделай PDF, в фоне».',
    'background.failed': 'Фоновая задача «{task}» не выполнена: {reason}',
    'access.claimed': 'Теперь вы владелец бота {bot}. Отправьте /help, чтобы узнать, что я умею.',
    'payment.declined': 'Сейчас этот платёж принять нельзя. Попробуйте позже.',
    'payment.unhandled':
      'Платёж получен, но зачислить его автоматически не удалось. Владелец бота уже знает об этом и всё исправит.',
    'access.claim_wrong': 'Код владельца неверный.',
    'access.claim_taken': 'У этого бота уже есть владелец.',
    'access.forbidden': 'Это может сделать только {role}.',
    'access.admitted': 'Пользователь {userId} теперь может пользоваться ботом (роль: {role}).',
    'access.revoked': 'У пользователя {userId} больше нет доступа.',
    'access.role_set': 'Пользователь {userId} теперь {role}.',
    'access.unknown_user':
      'Пользователя {userId} я не знаю. Пусть он сначала напишет боту и пришлёт вам id, который бот ему назовёт.',
    'access.bad_role':
      'Неизвестная роль «{role}». Возможны owner, admin, moderator, premium или user.',
    'access.cannot_change_self': 'Свою роль изменить нельзя.',
    'access.users_title': 'Пользователи с доступом:',
    'access.whoami': 'Ваш id: {userId}\nРоль: {role}',
    'role.none': 'нет',
    'error.internal': 'У меня что-то пошло не так ({code}). Попробуйте позже.',
    'error.tool_failed': 'Инструмент {tool} не сработал: {message}',
    'error.arguments_invalid': 'Это не подходит для /{command}: {message}',
    'error.permission_denied': 'Боту это не разрешено: {message}',
    'error.timeout': 'Это заняло слишком много времени и было остановлено.',
    'options.hint': 'Ответьте номером варианта.',
    'limit.reached':
      'Вы исчерпали лимит сообщений на сегодня ({limit}). Он обновится в полночь по UTC.',
    'limit.model_calls_reached':
      'Вы исчерпали лимит запросов к модели на сегодня ({limit}). Он обновится в полночь по UTC.',
    'limit.tokens_reached':
      'Вы израсходовали лимит токенов на сегодня ({limit}). Он обновится в полночь по UTC.',
    'model.unavailable':
      'Не могу связаться с языковой моделью, поэтому не смогу ответить на это. Команды работают: отправьте /help.',
    'vision.unsupported':
      'Я не вижу картинок: моя языковая модель ({model}) не принимает изображения. Расскажите словами, что на ней?',
    'vision.no_model':
      'Я не вижу картинок: я работаю без языковой модели. Расскажите словами, что на ней?',
    'vision.not_image':
      'Не получилось прочитать картинку. Пришлите фото JPEG, PNG, WebP или GIF размером до {megabytes} МБ.',
    'confirm.ask':
      'Шаг {step} запустит {tool} с данными, полученными извне (веб-страница, файл или API):\n{arguments}\nПродолжить?',
    'confirm.ask_always':
      'Шаг {step} запустит {tool}, который что-то изменит за пределами бота:\n{arguments}\nПродолжить?',
    'confirm.yes': 'Да, продолжить',
    'confirm.no': 'Нет, отменить',
    'confirm.cancelled': 'Отменено: {tool} не запускался.',
    'confirm.nothing': 'Нечего подтверждать.',
  },
} satisfies StringTable;
