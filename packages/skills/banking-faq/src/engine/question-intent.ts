import { normalizeText } from './text-analysis';

/** Why a question goes to a person before the knowledge base is searched, if it does. */
export type QuestionIntent = 'own-account' | 'asked-for-person' | undefined;

const person =
  /(оператор|жив\p{L}* (человек|сотрудник|специалист|оператор)|(с|со) (человеком|сотрудником|специалистом|консультантом|менеджером|модератором)|модератор|консультант\p{L}*|\b(human|real person|live person|person|agent|operator|representative|someone real|live chat|moderator|manager)\b)/iu;
const personRequest =
  /(позови|позовите|соедини|переключи|свяжи|дайте|дай|хочу|нужен|нужна|можно|поговорить|пообщаться|\b(talk|speak|chat|connect|transfer|put me|get me|want|need|let me|give me|call)\b|^\s*\S+\s*[!?.]*\s*$)/iu;

/** The customer's own money, right now or at a time: only an employee can see it. */
const ownAccount = [
  // Balance and own money.
  /(как(ой|ая) у меня (баланс|остаток)|мой (баланс|остаток)|сколько (у меня )?(денег|средств) (у меня )?(на|осталось)|сколько у меня (денег|на))/iu,
  /\b(my (current )?balance|how much (money )?(do i have|is (left )?(on|in) my)|what'?s on my account)\b/iu,
  // Why was I charged / what is this operation.
  /почему (мне )?(у меня )?(вчера |сегодня |утром |опять )?(списали|сняли|сняло|списало|сняли деньги|не пришл|заблокировали сч)/iu,
  /(что за (списание|операци)|откуда (списание|списали|перевод))/iu,
  /\b(why (was|were|did|have) (i|we|you|my)\b.*\b(charged?|debited|deducted|taken|withdrawn|declined|blocked)|what is (this|the) (charge|transaction|payment) (of|for)|unknown charge on my)/iu,
  // Where is my transfer / money.
  /(где (мой|мои|моя|мое|моё) (перевод|деньги|платеж|платёж|зарплата|кешбэк|кэшбек|кешбек|карта)|не (пришел|пришёл|пришли|дошел|дошёл|дошли) (мой )?(перевод|деньги|платеж|платёж))/iu,
  /((перевод|деньги|платеж|платёж|зарплата)\s+(так и |ещё |еще |до сих пор )?не (пришел|пришёл|пришла|пришли|дошел|дошёл|дошли|поступил|поступила|поступили|зачислил\p{L}*)|где (же )?(мои )?деньги)/iu,
  /\b(where (is|are) my (transfer|money|payment|salary|refund|cashback)|my (transfer|payment) (has not|hasn'?t|didn'?t|did not|never) (arrived|come|gone))/iu,
  // Status of my application.
  /((одобрил\p{L}*|одобрен\p{L}*|статус|рассмотрел\p{L}*) (ли )?(мо\p{L}+ )?(заявк|кредит)|мо(ю|я) заявк)/iu,
  /\b(status of my|(is|was) my (application|loan|request) (approved|ready|declined|rejected)|my (application|loan request))\b/iu,
  // A past operation of mine, dated.
  /(вчера|позавчера|сегодня утром|на прошлой неделе|\d+ (числа|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)).{0,40}(списал|сняли|перевел|перевёл|отправил|пришл|оплатил|платеж|платёж)/iu,
  /\b(yesterday|this morning|last week|on monday|on friday)\b.{0,40}\b(charged|sent|transferred|paid|payment|debited)|\b(charged|debited|sent|transferred)\b.{0,40}\b(yesterday|this morning|last week)\b/iu,
];

/**
 * Whether a question must go straight to a person: it asks for one ("позовите оператора", "I want
 * to talk to a human"), or it is about the customer's own account or operations ("почему вчера
 * списали 5000?", "where is my transfer from yesterday", "какой у меня баланс") that only an
 * employee who sees the account can answer.
 */
export function detectQuestionIntent(question: string): QuestionIntent {
  const text = normalizeText(question);
  if (person.test(text) && personRequest.test(text)) return 'asked-for-person';
  if (ownAccount.some((pattern) => pattern.test(text))) return 'own-account';
  return undefined;
}
