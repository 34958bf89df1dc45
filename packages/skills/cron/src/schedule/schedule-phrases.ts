/**
 * Phrases with the schedule each must give, worked out by hand from the conventions of
 * parseSchedule (not from its output), for the parser's tests and the `schedule_parse` tool's.
 *
 * Reference days: 2027-03-10 is a Wednesday, 2027-03-13 a Saturday; New York leaves EST
 * (-05:00) for EDT (-04:00) at 02:00 on 2027-03-14 and returns at 02:00 EDT on 2027-11-07;
 * Berlin leaves CET (+01:00) for CEST (+02:00) at 02:00 on 2027-03-28 and returns at 03:00 CEST
 * on 2027-10-31; Moscow stays at +03:00; 2028 is a leap year and 2028-02-28 a Monday.
 */

/** One phrase: its inputs and either the expected schedule or that it must be refused. */
export interface SchedulePhrase {
  text: string;
  now: string;
  timezone: string;
  expect: { task: string; kind: 'once' | 'recurring'; next: string[] } | { unclear: true };
}

const once = (text: string, now: string, timezone: string, task: string, at: string) =>
  ({ text, now, timezone, expect: { task, kind: 'once', next: [at] } }) satisfies SchedulePhrase;
const every = (text: string, now: string, timezone: string, task: string, next: string[]) =>
  ({ text, now, timezone, expect: { task, kind: 'recurring', next } }) satisfies SchedulePhrase;
const unclear = (text: string, now: string, timezone: string) =>
  ({ text, now, timezone, expect: { unclear: true } }) satisfies SchedulePhrase;

const moscow = 'Europe/Moscow';
/** Wednesday 14:20:35 in Moscow: seconds show that relative offsets keep them. */
const wed = '2027-03-10T14:20:35+03:00';
const york = 'America/New_York';
/** Saturday 10:00 EST, the day before the spring change. */
const yorkSpring = '2027-03-13T10:00:00-05:00';
/** Saturday 10:00 EDT, the day before the autumn change. */
const yorkAutumn = '2027-11-06T10:00:00-04:00';
const berlin = 'Europe/Berlin';
const berlinSpring = '2027-03-27T10:00:00+01:00';
const berlinAutumn = '2027-10-30T10:00:00+02:00';
const plus3 = 'UTC+03:00';
/** Tuesday 08:00 at UTC+03:00. */
const june = '2027-06-15T08:00:00+03:00';
/** Sunday 31 January 10:00 in Moscow. */
const monthEnd = '2027-01-31T10:00:00+03:00';
/** Monday 28 February 2028 20:00 in Moscow, the day before a leap day. */
const leapEve = '2028-02-28T20:00:00+03:00';

export const schedulePhrases: SchedulePhrase[] = [
  // Relative offsets in Russian: exact elapsed time, seconds kept.
  once(
    'Напомни через 5 минут выключить плиту',
    wed,
    moscow,
    'выключить плиту',
    '2027-03-10T14:25:35+03:00',
  ),
  once(
    'через пять минут проверить духовку',
    wed,
    moscow,
    'проверить духовку',
    '2027-03-10T14:25:35+03:00',
  ),
  once('через 1 минуту', wed, moscow, '', '2027-03-10T14:21:35+03:00'),
  once('через 2 минуты полить цветы', wed, moscow, 'полить цветы', '2027-03-10T14:22:35+03:00'),
  once('через 21 минуту', wed, moscow, '', '2027-03-10T14:41:35+03:00'),
  once('через десять минут встреча', wed, moscow, 'встреча', '2027-03-10T14:30:35+03:00'),
  once('через 11 минут снять чайник', wed, moscow, 'снять чайник', '2027-03-10T14:31:35+03:00'),
  once(
    'напомни через 2 часа забрать посылку',
    wed,
    moscow,
    'забрать посылку',
    '2027-03-10T16:20:35+03:00',
  ),
  once('через час выпить лекарство', wed, moscow, 'выпить лекарство', '2027-03-10T15:20:35+03:00'),
  once('через 1 час', wed, moscow, '', '2027-03-10T15:20:35+03:00'),
  once('через 5 часов', wed, moscow, '', '2027-03-10T19:20:35+03:00'),
  once('через два часа позвонить', wed, moscow, 'позвонить', '2027-03-10T16:20:35+03:00'),
  once(
    'через полчаса позвонить Ивану',
    wed,
    moscow,
    'позвонить Ивану',
    '2027-03-10T14:50:35+03:00',
  ),
  once('через 24 часа', wed, moscow, '', '2027-03-11T14:20:35+03:00'),
  once('через 1 день', wed, moscow, '', '2027-03-11T14:20:35+03:00'),
  once('через два дня', wed, moscow, '', '2027-03-12T14:20:35+03:00'),
  once('через 3 дня оплатить счёт', wed, moscow, 'оплатить счёт', '2027-03-13T14:20:35+03:00'),
  once('через 5 дней', wed, moscow, '', '2027-03-15T14:20:35+03:00'),
  once('через неделю сдать книгу', wed, moscow, 'сдать книгу', '2027-03-17T14:20:35+03:00'),
  once('через 1 неделю', wed, moscow, '', '2027-03-17T14:20:35+03:00'),
  once('через 2 недели к врачу', wed, moscow, 'к врачу', '2027-03-24T14:20:35+03:00'),
  once('через 5 недель', wed, moscow, '', '2027-04-14T14:20:35+03:00'),

  // Parts of the day, day words, clock times (Russian).
  once(
    'напомни мне завтра в 9 позвонить маме',
    wed,
    moscow,
    'позвонить маме',
    '2027-03-11T09:00:00+03:00',
  ),
  once(
    'сегодня вечером позвонить бабушке',
    wed,
    moscow,
    'позвонить бабушке',
    '2027-03-10T19:00:00+03:00',
  ),
  once('завтра утром пробежка', wed, moscow, 'пробежка', '2027-03-11T09:00:00+03:00'),
  once('завтра днём обед с Олегом', wed, moscow, 'обед с Олегом', '2027-03-11T13:00:00+03:00'),
  once('послезавтра вечером кино', wed, moscow, 'кино', '2027-03-12T19:00:00+03:00'),
  once(
    'завтра ночью проверить сервер',
    wed,
    moscow,
    'проверить сервер',
    '2027-03-11T23:00:00+03:00',
  ),
  once('послезавтра купить подарок', wed, moscow, 'купить подарок', '2027-03-12T09:00:00+03:00'),
  once('завтра', wed, moscow, '', '2027-03-11T09:00:00+03:00'),
  once('в полдень обед', wed, moscow, 'обед', '2027-03-11T12:00:00+03:00'),
  once('в полночь выключить свет', wed, moscow, 'выключить свет', '2027-03-11T00:00:00+03:00'),
  once('в обед позвонить в банк', wed, moscow, 'позвонить в банк', '2027-03-11T13:00:00+03:00'),
  once('вечером полить цветы', wed, moscow, 'полить цветы', '2027-03-10T19:00:00+03:00'),
  once('утром купить хлеб', wed, moscow, 'купить хлеб', '2027-03-11T09:00:00+03:00'),
  once('ночью сделать бэкап', wed, moscow, 'сделать бэкап', '2027-03-10T23:00:00+03:00'),
  once('в 18:30 забрать детей', wed, moscow, 'забрать детей', '2027-03-10T18:30:00+03:00'),
  once('в 9 позвонить', wed, moscow, 'позвонить', '2027-03-11T09:00:00+03:00'),
  once('в 7 вечера ужин', wed, moscow, 'ужин', '2027-03-10T19:00:00+03:00'),
  once('в 7 утра зарядка', wed, moscow, 'зарядка', '2027-03-11T07:00:00+03:00'),
  once('в пять вечера созвон', wed, moscow, 'созвон', '2027-03-10T17:00:00+03:00'),
  once('в девять утра планёрка', wed, moscow, 'планёрка', '2027-03-11T09:00:00+03:00'),
  once('в 15 часов совещание', wed, moscow, 'совещание', '2027-03-10T15:00:00+03:00'),
  once('в 2 часа дня встреча', wed, moscow, 'встреча', '2027-03-11T14:00:00+03:00'),
  once('сегодня вечером в 7 позвонить', wed, moscow, 'позвонить', '2027-03-10T19:00:00+03:00'),
  once(
    'поставь напоминание на завтра в 10: созвон',
    wed,
    moscow,
    'созвон',
    '2027-03-11T10:00:00+03:00',
  ),

  // Weekdays (2027-03-10 is a Wednesday).
  once('в пятницу сдать отчёт', wed, moscow, 'сдать отчёт', '2027-03-12T09:00:00+03:00'),
  once('в среду позвонить', wed, moscow, 'позвонить', '2027-03-17T09:00:00+03:00'),
  once('в эту среду', wed, moscow, '', '2027-03-17T09:00:00+03:00'),
  once('в следующий вторник собрание', wed, moscow, 'собрание', '2027-03-16T09:00:00+03:00'),
  once('в понедельник в 10:00 стоматолог', wed, moscow, 'стоматолог', '2027-03-15T10:00:00+03:00'),
  once('в субботу вечером вечеринка', wed, moscow, 'вечеринка', '2027-03-13T19:00:00+03:00'),
  once('во вторник в 8 утра анализы', wed, moscow, 'анализы', '2027-03-16T08:00:00+03:00'),
  once('в воскресенье в полдень', wed, moscow, '', '2027-03-14T12:00:00+03:00'),

  // Dates (Russian month names, numeric, ISO).
  once(
    '25 декабря поздравить коллег',
    wed,
    moscow,
    'поздравить коллег',
    '2027-12-25T09:00:00+03:00',
  ),
  once('25-го декабря купить ёлку', wed, moscow, 'купить ёлку', '2027-12-25T09:00:00+03:00'),
  once('1 января в 00:05 поздравить', wed, moscow, 'поздравить', '2028-01-01T00:05:00+03:00'),
  once('10 марта в 15:00 встреча', wed, moscow, 'встреча', '2027-03-10T15:00:00+03:00'),
  once('10 марта в 9:00 встреча', wed, moscow, 'встреча', '2028-03-10T09:00:00+03:00'),
  once('15.04 сдать декларацию', wed, moscow, 'сдать декларацию', '2027-04-15T09:00:00+03:00'),
  once('15.04.2028 продлить паспорт', wed, moscow, 'продлить паспорт', '2028-04-15T09:00:00+03:00'),
  once('2027-05-01 в 12:00 пикник', wed, moscow, 'пикник', '2027-05-01T12:00:00+03:00'),
  once(
    'поставь напоминание на 5 апреля в 18:00 театр',
    wed,
    moscow,
    'театр',
    '2027-04-05T18:00:00+03:00',
  ),
  once('29 февраля', wed, moscow, '', '2028-02-29T09:00:00+03:00'),

  // Repetitions (Russian).
  every('каждый день в 9 утра пить таблетки', wed, moscow, 'пить таблетки', [
    '2027-03-11T09:00:00+03:00',
    '2027-03-12T09:00:00+03:00',
    '2027-03-13T09:00:00+03:00',
  ]),
  every('ежедневно в 21:00 читать', wed, moscow, 'читать', [
    '2027-03-10T21:00:00+03:00',
    '2027-03-11T21:00:00+03:00',
    '2027-03-12T21:00:00+03:00',
  ]),
  every('по будням в 8:00 будильник', wed, moscow, 'будильник', [
    '2027-03-11T08:00:00+03:00',
    '2027-03-12T08:00:00+03:00',
    '2027-03-15T08:00:00+03:00',
  ]),
  every('по выходным в 10 уборка', wed, moscow, 'уборка', [
    '2027-03-13T10:00:00+03:00',
    '2027-03-14T10:00:00+03:00',
    '2027-03-20T10:00:00+03:00',
  ]),
  every('каждый понедельник в 10:00 планёрка', wed, moscow, 'планёрка', [
    '2027-03-15T10:00:00+03:00',
    '2027-03-22T10:00:00+03:00',
    '2027-03-29T10:00:00+03:00',
  ]),
  every('каждую пятницу отчёт', wed, moscow, 'отчёт', [
    '2027-03-12T09:00:00+03:00',
    '2027-03-19T09:00:00+03:00',
    '2027-03-26T09:00:00+03:00',
  ]),
  every('каждое воскресенье в 20:00 звонок родителям', wed, moscow, 'звонок родителям', [
    '2027-03-14T20:00:00+03:00',
    '2027-03-21T20:00:00+03:00',
    '2027-03-28T20:00:00+03:00',
  ]),
  every('каждую среду в 12:00 обед с командой', wed, moscow, 'обед с командой', [
    '2027-03-17T12:00:00+03:00',
    '2027-03-24T12:00:00+03:00',
    '2027-03-31T12:00:00+03:00',
  ]),
  every('по понедельникам и средам в 19:00 спортзал', wed, moscow, 'спортзал', [
    '2027-03-10T19:00:00+03:00',
    '2027-03-15T19:00:00+03:00',
    '2027-03-17T19:00:00+03:00',
  ]),
  every('по вторникам и четвергам в 7 вечера бассейн', wed, moscow, 'бассейн', [
    '2027-03-11T19:00:00+03:00',
    '2027-03-16T19:00:00+03:00',
    '2027-03-18T19:00:00+03:00',
  ]),
  every('по пятницам в 17:00 отчёт', wed, moscow, 'отчёт', [
    '2027-03-12T17:00:00+03:00',
    '2027-03-19T17:00:00+03:00',
    '2027-03-26T17:00:00+03:00',
  ]),
  every('каждые 2 часа пить воду', wed, moscow, 'пить воду', [
    '2027-03-10T16:20:35+03:00',
    '2027-03-10T18:20:35+03:00',
    '2027-03-10T20:20:35+03:00',
  ]),
  every('каждые 15 минут размяться', wed, moscow, 'размяться', [
    '2027-03-10T14:35:35+03:00',
    '2027-03-10T14:50:35+03:00',
    '2027-03-10T15:05:35+03:00',
  ]),
  every('каждые пять минут', wed, moscow, '', [
    '2027-03-10T14:25:35+03:00',
    '2027-03-10T14:30:35+03:00',
    '2027-03-10T14:35:35+03:00',
  ]),
  every('каждый месяц 5-го числа оплатить интернет', wed, moscow, 'оплатить интернет', [
    '2027-04-05T09:00:00+03:00',
    '2027-05-05T09:00:00+03:00',
    '2027-06-05T09:00:00+03:00',
  ]),
  every('каждый год 25 декабря поздравить', wed, moscow, 'поздравить', [
    '2027-12-25T09:00:00+03:00',
    '2028-12-25T09:00:00+03:00',
    '2029-12-25T09:00:00+03:00',
  ]),
  every('каждый вечер гулять с собакой', wed, moscow, 'гулять с собакой', [
    '2027-03-10T19:00:00+03:00',
    '2027-03-11T19:00:00+03:00',
    '2027-03-12T19:00:00+03:00',
  ]),
  every('каждое утро зарядка', wed, moscow, 'зарядка', [
    '2027-03-11T09:00:00+03:00',
    '2027-03-12T09:00:00+03:00',
    '2027-03-13T09:00:00+03:00',
  ]),

  // English, New York, the day before the spring change.
  once(
    'remind me to call mom tomorrow at 9',
    yorkSpring,
    york,
    'call mom',
    '2027-03-14T09:00:00-04:00',
  ),
  once(
    'remind me tomorrow at 2:30 to water plants',
    yorkSpring,
    york,
    'water plants',
    '2027-03-14T03:30:00-04:00',
  ),
  once(
    'in 2 hours check the oven',
    yorkSpring,
    york,
    'check the oven',
    '2027-03-13T12:00:00-05:00',
  ),
  once('in 24 hours renew parking', yorkSpring, york, 'renew parking', '2027-03-14T11:00:00-04:00'),
  once(
    'in 1 day send the report',
    yorkSpring,
    york,
    'send the report',
    '2027-03-14T11:00:00-04:00',
  ),
  once(
    'in half an hour take the cake out',
    yorkSpring,
    york,
    'take the cake out',
    '2027-03-13T10:30:00-05:00',
  ),
  once('in an hour call back', yorkSpring, york, 'call back', '2027-03-13T11:00:00-05:00'),
  once(
    'in five minutes stir the soup',
    yorkSpring,
    york,
    'stir the soup',
    '2027-03-13T10:05:00-05:00',
  ),
  once('in 3 days', yorkSpring, york, '', '2027-03-16T11:00:00-04:00'),
  once('in 2 weeks', yorkSpring, york, '', '2027-03-27T11:00:00-04:00'),
  once(
    'tonight at 11 take out trash',
    yorkSpring,
    york,
    'take out trash',
    '2027-03-13T23:00:00-05:00',
  ),
  once('this evening call grandma', yorkSpring, york, 'call grandma', '2027-03-13T19:00:00-05:00'),
  once('at noon lunch with Ann', yorkSpring, york, 'lunch with Ann', '2027-03-13T12:00:00-05:00'),
  once('at midnight lock the door', yorkSpring, york, 'lock the door', '2027-03-14T00:00:00-05:00'),
  once('at lunch call Bob', yorkSpring, york, 'call Bob', '2027-03-13T13:00:00-05:00'),
  once(
    'at night check the alarm',
    yorkSpring,
    york,
    'check the alarm',
    '2027-03-13T23:00:00-05:00',
  ),
  once(
    'on Friday submit timesheet',
    yorkSpring,
    york,
    'submit timesheet',
    '2027-03-19T09:00:00-04:00',
  ),
  once('next Monday at 10am dentist', yorkSpring, york, 'dentist', '2027-03-15T10:00:00-04:00'),
  once('this Saturday clean garage', yorkSpring, york, 'clean garage', '2027-03-20T09:00:00-04:00'),
  once('on December 25 call family', yorkSpring, york, 'call family', '2027-12-25T09:00:00-05:00'),
  once('on 4 July at 8 pm fireworks', yorkSpring, york, 'fireworks', '2027-07-04T20:00:00-04:00'),
  once('July 4 barbecue', yorkSpring, york, 'barbecue', '2027-07-04T09:00:00-04:00'),
  once('on 25 Dec at 6pm dinner', yorkSpring, york, 'dinner', '2027-12-25T18:00:00-05:00'),
  once('at 7 feed the cat', yorkSpring, york, 'feed the cat', '2027-03-14T07:00:00-04:00'),
  once('at 7:30 am run', yorkSpring, york, 'run', '2027-03-14T07:30:00-04:00'),
  once('at 12pm lunch', yorkSpring, york, 'lunch', '2027-03-13T12:00:00-05:00'),
  once(
    'the day after tomorrow pay bills',
    yorkSpring,
    york,
    'pay bills',
    '2027-03-15T09:00:00-04:00',
  ),
  once('tomorrow morning go running', yorkSpring, york, 'go running', '2027-03-14T09:00:00-04:00'),
  once(
    'tomorrow afternoon pick up suit',
    yorkSpring,
    york,
    'pick up suit',
    '2027-03-14T13:00:00-04:00',
  ),
  once('remind me at 18:30 to leave', yorkSpring, york, 'leave', '2027-03-13T18:30:00-05:00'),
  once(
    'remind me on 15.04 to file taxes',
    yorkSpring,
    york,
    'file taxes',
    '2027-04-15T09:00:00-04:00',
  ),
  once('remind me on 2027-04-01 to prank', yorkSpring, york, 'prank', '2027-04-01T09:00:00-04:00'),
  once(
    'remind me about the meeting tomorrow at 3 pm',
    yorkSpring,
    york,
    'the meeting',
    '2027-03-14T15:00:00-04:00',
  ),
  once(
    'remind me about the meeting in 2 hours',
    yorkSpring,
    york,
    'the meeting',
    '2027-03-13T12:00:00-05:00',
  ),
  every('every day at 9am take vitamins', yorkSpring, york, 'take vitamins', [
    '2027-03-14T09:00:00-04:00',
    '2027-03-15T09:00:00-04:00',
    '2027-03-16T09:00:00-04:00',
  ]),
  every('daily at 7:30 pm journal', yorkSpring, york, 'journal', [
    '2027-03-13T19:30:00-05:00',
    '2027-03-14T19:30:00-04:00',
    '2027-03-15T19:30:00-04:00',
  ]),
  every('every day at 2:30 am backup', yorkSpring, york, 'backup', [
    '2027-03-14T03:30:00-04:00',
    '2027-03-15T02:30:00-04:00',
    '2027-03-16T02:30:00-04:00',
  ]),
  every('every 3 hours stretch', yorkSpring, york, 'stretch', [
    '2027-03-13T13:00:00-05:00',
    '2027-03-13T16:00:00-05:00',
    '2027-03-13T19:00:00-05:00',
  ]),
  every('every ten minutes', yorkSpring, york, '', [
    '2027-03-13T10:10:00-05:00',
    '2027-03-13T10:20:00-05:00',
    '2027-03-13T10:30:00-05:00',
  ]),
  every('every weekday at 8 standup', yorkSpring, york, 'standup', [
    '2027-03-15T08:00:00-04:00',
    '2027-03-16T08:00:00-04:00',
    '2027-03-17T08:00:00-04:00',
  ]),
  every('every weekend at 10am hike', yorkSpring, york, 'hike', [
    '2027-03-14T10:00:00-04:00',
    '2027-03-20T10:00:00-04:00',
    '2027-03-21T10:00:00-04:00',
  ]),
  every('on weekends at 11 brunch', yorkSpring, york, 'brunch', [
    '2027-03-13T11:00:00-05:00',
    '2027-03-14T11:00:00-04:00',
    '2027-03-20T11:00:00-04:00',
  ]),
  every('every Tuesday and Thursday at 6 pm yoga', yorkSpring, york, 'yoga', [
    '2027-03-16T18:00:00-04:00',
    '2027-03-18T18:00:00-04:00',
    '2027-03-23T18:00:00-04:00',
  ]),
  every('every Monday review goals', yorkSpring, york, 'review goals', [
    '2027-03-15T09:00:00-04:00',
    '2027-03-22T09:00:00-04:00',
    '2027-03-29T09:00:00-04:00',
  ]),
  every('every month on the 31st pay rent', yorkSpring, york, 'pay rent', [
    '2027-03-31T09:00:00-04:00',
    '2027-05-31T09:00:00-04:00',
    '2027-07-31T09:00:00-04:00',
  ]),
  every('every year on February 29 celebrate', yorkSpring, york, 'celebrate', [
    '2028-02-29T09:00:00-05:00',
    '2032-02-29T09:00:00-05:00',
    '2036-02-29T09:00:00-05:00',
  ]),

  // New York, the day before the autumn change.
  once('tomorrow at 1:30 check logs', yorkAutumn, york, 'check logs', '2027-11-07T01:30:00-04:00'),
  once('in 24 hours follow up', yorkAutumn, york, 'follow up', '2027-11-07T09:00:00-05:00'),
  every('every day at 9am stand-up', yorkAutumn, york, 'stand-up', [
    '2027-11-07T09:00:00-05:00',
    '2027-11-08T09:00:00-05:00',
    '2027-11-09T09:00:00-05:00',
  ]),
  every('каждый день в 1:30 таблетка', yorkAutumn, york, 'таблетка', [
    '2027-11-07T01:30:00-04:00',
    '2027-11-08T01:30:00-05:00',
    '2027-11-09T01:30:00-05:00',
  ]),

  // Berlin, around both changes.
  once(
    'завтра в 2:30 проверить бэкап',
    berlinSpring,
    berlin,
    'проверить бэкап',
    '2027-03-28T03:30:00+02:00',
  ),
  once('завтра в 9 позвонить', berlinSpring, berlin, 'позвонить', '2027-03-28T09:00:00+02:00'),
  once('через 24 часа', berlinSpring, berlin, '', '2027-03-28T11:00:00+02:00'),
  every('каждый день в 9:00 кофе', berlinSpring, berlin, 'кофе', [
    '2027-03-28T09:00:00+02:00',
    '2027-03-29T09:00:00+02:00',
    '2027-03-30T09:00:00+02:00',
  ]),
  every('по будням в 7:30 подъём', berlinSpring, berlin, 'подъём', [
    '2027-03-29T07:30:00+02:00',
    '2027-03-30T07:30:00+02:00',
    '2027-03-31T07:30:00+02:00',
  ]),
  every('every 90 minutes stretch', berlinSpring, berlin, 'stretch', [
    '2027-03-27T11:30:00+01:00',
    '2027-03-27T13:00:00+01:00',
    '2027-03-27T14:30:00+01:00',
  ]),
  once(
    'завтра в 2:30 проверить сервер',
    berlinAutumn,
    berlin,
    'проверить сервер',
    '2027-10-31T02:30:00+02:00',
  ),
  once('через 2 часа', berlinAutumn, berlin, '', '2027-10-30T12:00:00+02:00'),
  every('каждый день в 8 утра', berlinAutumn, berlin, '', [
    '2027-10-31T08:00:00+01:00',
    '2027-11-01T08:00:00+01:00',
    '2027-11-02T08:00:00+01:00',
  ]),
  every('every Sunday at 3:00 water plants', berlinAutumn, berlin, 'water plants', [
    '2027-10-31T03:00:00+01:00',
    '2027-11-07T03:00:00+01:00',
    '2027-11-14T03:00:00+01:00',
  ]),

  // A fixed offset.
  once('завтра в 10 встреча', june, plus3, 'встреча', '2027-06-16T10:00:00+03:00'),
  once('в 9 позвонить', june, plus3, 'позвонить', '2027-06-15T09:00:00+03:00'),
  once('at 7', june, plus3, '', '2027-06-16T07:00:00+03:00'),
  once('в пятницу в 18:00', june, plus3, '', '2027-06-18T18:00:00+03:00'),
  every('every 2 hours drink water', june, plus3, 'drink water', [
    '2027-06-15T10:00:00+03:00',
    '2027-06-15T12:00:00+03:00',
    '2027-06-15T14:00:00+03:00',
  ]),
  every('every hour check mail', june, plus3, 'check mail', [
    '2027-06-15T09:00:00+03:00',
    '2027-06-15T10:00:00+03:00',
    '2027-06-15T11:00:00+03:00',
  ]),
  every('каждый час проверять почту', june, plus3, 'проверять почту', [
    '2027-06-15T09:00:00+03:00',
    '2027-06-15T10:00:00+03:00',
    '2027-06-15T11:00:00+03:00',
  ]),

  // Month ends (31 January 2027, a Sunday).
  every('каждый месяц 31-го числа отчёт', monthEnd, moscow, 'отчёт', [
    '2027-03-31T09:00:00+03:00',
    '2027-05-31T09:00:00+03:00',
    '2027-07-31T09:00:00+03:00',
  ]),
  every('каждое 30 число платить за квартиру', monthEnd, moscow, 'платить за квартиру', [
    '2027-03-30T09:00:00+03:00',
    '2027-04-30T09:00:00+03:00',
    '2027-05-30T09:00:00+03:00',
  ]),
  every('every month on the 29th', monthEnd, moscow, '', [
    '2027-03-29T09:00:00+03:00',
    '2027-04-29T09:00:00+03:00',
    '2027-05-29T09:00:00+03:00',
  ]),
  once('31.03 закрыть квартал', monthEnd, moscow, 'закрыть квартал', '2027-03-31T09:00:00+03:00'),

  // Leap day (2028).
  once('29 февраля в 10:00 праздник', leapEve, moscow, 'праздник', '2028-02-29T10:00:00+03:00'),
  once('29.02 отметить', leapEve, moscow, 'отметить', '2028-02-29T09:00:00+03:00'),
  once('29.02.2028', leapEve, moscow, '', '2028-02-29T09:00:00+03:00'),
  once('завтра в 9', leapEve, moscow, '', '2028-02-29T09:00:00+03:00'),
  every('каждый год 29 февраля поздравить', leapEve, moscow, 'поздравить', [
    '2028-02-29T09:00:00+03:00',
    '2032-02-29T09:00:00+03:00',
    '2036-02-29T09:00:00+03:00',
  ]),
  every('every year on 1 March at 10:00', leapEve, moscow, '', [
    '2028-03-01T10:00:00+03:00',
    '2029-03-01T10:00:00+03:00',
    '2030-03-01T10:00:00+03:00',
  ]),

  // Refused: no time, vague, impossible, incomplete.
  unclear('напомни позвонить маме', wed, moscow),
  unclear('remind me to call mom', yorkSpring, york),
  unclear('напомни позже купить молоко', wed, moscow),
  unclear('remind me later', yorkSpring, york),
  unclear('remind me soon to stretch', yorkSpring, york),
  unclear('in a few minutes check the oven', yorkSpring, york),
  unclear('когда-нибудь съездить в Париж', wed, moscow),
  unclear('на днях зайти к бабушке', wed, moscow),
  unclear('через несколько дней проверить', wed, moscow),
  unclear('remind me sometime next week', yorkSpring, york),
  unclear('в 25:00', wed, moscow),
  unclear('в 18:75 встреча', wed, moscow),
  unclear('at 13pm', yorkSpring, york),
  unclear('31 февраля', wed, moscow),
  unclear('30 февраля заплатить', wed, moscow),
  unclear('32.01 отчёт', wed, moscow),
  unclear('31.04 отчёт', wed, moscow),
  unclear('2027-02-29 праздник', wed, moscow),
  unclear('напомни каждый', wed, moscow),
  unclear('напоминай каждые', wed, moscow),
  unclear('remind me every', yorkSpring, york),
  unclear('каждый месяц платить', wed, moscow),
  unclear('сегодня в 9 позвонить', wed, moscow),
  unclear('напомни вчера в 9 позвонить', wed, moscow),
  unclear('позавчера в 18:00 созвон', wed, moscow),
  unclear('remind me yesterday at 9 to check the news', yorkSpring, york),
  unclear('remind me a week from Tuesday to pay rent', yorkSpring, york),
  unclear('remind me two days after Friday to call Bob', yorkSpring, york),
  // A past day inside the task is the task's, not the time.
  once(
    'напомни в 18:00 позвонить тому, кто звонил вчера',
    wed,
    moscow,
    'позвонить тому, кто звонил вчера',
    '2027-03-10T18:00:00+03:00',
  ),
  once(
    'remind me tomorrow at 9 to answer the email from yesterday',
    yorkSpring,
    york,
    'answer the email from yesterday',
    '2027-03-14T09:00:00-04:00',
  ),
];
