/** One customer question of the test set: the entry that answers it, or the reason to hand off. */
export interface FaqQuestion {
  /** The question as a customer would type it. */
  question: string;
  /** The language of the question (the answer must come in it). */
  language: 'ru' | 'en';
  /** The id of the entry that answers it; absent when it must be handed off. */
  expectedId?: string;
  /** Why it must be handed off; absent for questions the knowledge base answers. */
  handoff?: 'no-answer' | 'own-account' | 'asked-for-person';
}

/**
 * The test set of the banking FAQ engine: colloquial customer questions in Russian and English,
 * some with typos or slang, some mixing the two languages, each with the entry that answers it;
 * and questions that must go to a human (out of scope, about the customer's own account, asking
 * for a person). Written as customers write, not from the entry titles.
 */
export const faqQuestions: readonly FaqQuestion[] = [
  // Russian, in scope.
  {
    language: 'ru',
    expectedId: 'card-lost',
    question: 'у меня карту сперли в метро, что делать??',
  },
  { language: 'ru', expectedId: 'card-lost', question: 'потерял карточку, деньги не пропадут?' },
  { language: 'ru', expectedId: 'card-block', question: 'как временно заморозить карту' },
  {
    language: 'ru',
    expectedId: 'card-unblock',
    question: 'три раза ввёл пин неправильно и карта не работает',
  },
  { language: 'ru', expectedId: 'card-pin', question: 'забыл пинкод от карты как поменять' },
  { language: 'ru', expectedId: 'card-order', question: 'хочу завести дебетовку, где оформить?' },
  { language: 'ru', expectedId: 'card-delivery', question: 'когда курьер привезёт карточку?' },
  {
    language: 'ru',
    expectedId: 'card-reissue',
    question: 'карта поцарапалась и не читается, нужна новая',
  },
  { language: 'ru', expectedId: 'card-topup', question: 'как закинуть налик на карту' },
  {
    language: 'ru',
    expectedId: 'card-maintenance-fee',
    question: 'скока стоит обслуживание карты в месяц',
  },
  {
    language: 'ru',
    expectedId: 'atm-withdrawal-limits',
    question: 'сколько максимум можно снять налички за день?',
  },
  {
    language: 'ru',
    expectedId: 'atm-fees',
    question: 'берете процент если снимаю в банкомате сбера?',
  },
  {
    language: 'ru',
    expectedId: 'transfer-fees',
    question: 'какая комиссия за перевод на карту другого банка',
  },
  {
    language: 'ru',
    expectedId: 'sbp-transfers',
    question: 'как скинуть деньги другу по номеру телефона',
  },
  {
    language: 'ru',
    expectedId: 'swift-transfers',
    question: 'нужно отправить деньги за границу в евро',
  },
  { language: 'ru', expectedId: 'currency-exchange', question: 'где купить доллары у вас' },
  { language: 'ru', expectedId: 'deposits', question: 'какие проценты по вкладу на год' },
  {
    language: 'ru',
    expectedId: 'deposit-early-withdrawal',
    question: 'если заберу депозит раньше срока проценты сгорят?',
  },
  {
    language: 'ru',
    expectedId: 'deposit-insurance',
    question: 'мои деньги застрахованы если банк лопнет?',
  },
  {
    language: 'ru',
    expectedId: 'savings-account',
    question: 'есть накопительный счет? какой процент',
  },
  {
    language: 'ru',
    expectedId: 'consumer-loan',
    question: 'хочу взять кредит наличными на ремонт',
  },
  { language: 'ru', expectedId: 'mortgage', question: 'какой первоначальный взнос по ипотеке' },
  {
    language: 'ru',
    expectedId: 'loan-early-repayment',
    question: 'можно погасить кредит досрочно без штрафа?',
  },
  {
    language: 'ru',
    expectedId: 'loan-overdue',
    question: 'не успеваю заплатить кредит, будет пеня?',
  },
  {
    language: 'ru',
    expectedId: 'refinancing',
    question: 'хочу перекредитоваться, у меня кредиты в трех банках',
  },
  {
    language: 'ru',
    expectedId: 'credit-card-grace',
    question: 'сколько дней без процентов по кредитке',
  },
  { language: 'ru', expectedId: 'cashback', question: 'как работает кэшбек' },
  {
    language: 'ru',
    expectedId: 'autopay',
    question: 'как настроить чтобы связь сама оплачивалась каждый месяц',
  },
  { language: 'ru', expectedId: 'sms-notifications', question: 'как отключить платные смски' },
  { language: 'ru', expectedId: 'app-registration', question: 'как зарегаться в приложении' },
  {
    language: 'ru',
    expectedId: 'app-password-reset',
    question: 'забыл пароль от приложухи, не могу войти',
  },
  { language: 'ru', expectedId: 'push-codes', question: 'не приходит код подтверждения в смс' },
  {
    language: 'ru',
    expectedId: 'branch-hours',
    question: 'до скольки работает отделение в субботу',
  },
  { language: 'ru', expectedId: 'atm-locations', question: 'где ближайший банкомат' },
  {
    language: 'ru',
    expectedId: 'account-open-documents',
    question: 'какие документы нужны чтобы открыть счет',
  },
  {
    language: 'ru',
    expectedId: 'non-resident-account',
    question: 'я иностранец, могу открыть у вас счет?',
  },
  {
    language: 'ru',
    expectedId: 'phone-change',
    question: 'поменял симку с новым номером, как обновить номер',
  },
  { language: 'ru', expectedId: 'statements-certificates', question: 'нужна справка для визы' },
  {
    language: 'ru',
    expectedId: 'chargeback',
    question: 'как сделать chargeback если товар не пришел',
  },
  {
    language: 'ru',
    expectedId: 'fraud-warning',
    question: 'позвонили типа из службы безопасности и просят код из смс',
  },
  {
    language: 'ru',
    expectedId: 'tax-deduction',
    question: 'справка о процентах по ипотеке для налогового вычета',
  },
  { language: 'ru', expectedId: 'account-closure', question: 'хочу закрыть счет, как это сделать' },
  { language: 'ru', expectedId: 'complaints', question: 'куда написать жалобу на сотрудника' },
  { language: 'ru', expectedId: 'contact-support', question: 'номер горячей линии' },
  { language: 'ru', expectedId: 'transfer-limits', question: 'какой лимит на переводы в сутки' },
  {
    language: 'ru',
    expectedId: 'salary-project',
    question: 'хочу получать зарплату к вам на карту',
  },
  { language: 'ru', expectedId: 'card-block', question: 'как заблакировать карту' },
  { language: 'ru', expectedId: 'mortgage', question: 'ипотеку на вторичку даете?' },
  { language: 'ru', expectedId: 'online-banking', question: 'есть ли интернет банк через браузер' },
  { language: 'ru', expectedId: 'deposits', question: 'открыть вклад под хороший процент' },
  // English, in scope.
  {
    language: 'en',
    expectedId: 'card-lost',
    question: 'someone stole my wallet with my card in it',
  },
  { language: 'en', expectedId: 'card-block', question: 'how do i freeze my card for a while' },
  {
    language: 'en',
    expectedId: 'card-unblock',
    question: 'entered wrong pin 3 times and now card wont work',
  },
  { language: 'en', expectedId: 'card-pin', question: 'forgot my pin code, how do i reset it' },
  { language: 'en', expectedId: 'card-order', question: 'i want a debit card, how do i apply' },
  { language: 'en', expectedId: 'card-delivery', question: 'when will the courier bring my card' },
  {
    language: 'en',
    expectedId: 'card-reissue',
    question: 'my card expires next month, do i get a new one',
  },
  { language: 'en', expectedId: 'card-topup', question: 'how can i put cash on my card' },
  {
    language: 'en',
    expectedId: 'card-maintenance-fee',
    question: 'is there a monthly fee for the card',
  },
  {
    language: 'en',
    expectedId: 'atm-withdrawal-limits',
    question: 'max cash i can take out per day?',
  },
  { language: 'en', expectedId: 'atm-fees', question: 'do you charge for using another banks atm' },
  {
    language: 'en',
    expectedId: 'transfer-fees',
    question: 'how much does it cost to send money to a card at another bank',
  },
  {
    language: 'en',
    expectedId: 'sbp-transfers',
    question: 'send money to a friend using their phone number',
  },
  {
    language: 'en',
    expectedId: 'swift-transfers',
    question: 'wire money abroad, what do i need, iban?',
  },
  { language: 'en', expectedId: 'currency-exchange', question: 'can i buy euros in the app' },
  { language: 'en', expectedId: 'deposits', question: 'what interest do you pay on term deposits' },
  {
    language: 'en',
    expectedId: 'deposit-early-withdrawal',
    question: 'what happens if i close my deposit before it ends',
  },
  {
    language: 'en',
    expectedId: 'deposit-insurance',
    question: 'is my money insured if the bank goes bust',
  },
  {
    language: 'en',
    expectedId: 'savings-account',
    question: 'do you have a savings account with interest',
  },
  {
    language: 'en',
    expectedId: 'consumer-loan',
    question: 'i need a personal loan for a car repair',
  },
  {
    language: 'en',
    expectedId: 'mortgage',
    question: 'mortgage down payment for a new build apartment',
  },
  { language: 'en', expectedId: 'loan-early-repayment', question: 'can i pay off my loan early' },
  { language: 'en', expectedId: 'loan-overdue', question: 'i missed a loan payment, what now' },
  {
    language: 'en',
    expectedId: 'refinancing',
    question: 'combine my loans from other banks into one',
  },
  {
    language: 'en',
    expectedId: 'credit-card-grace',
    question: 'interest free period on the credit card?',
  },
  { language: 'en', expectedId: 'cashback', question: 'how much cash back do i get on purchases' },
  { language: 'en', expectedId: 'autopay', question: 'set up recurring payment for my phone bill' },
  {
    language: 'en',
    expectedId: 'sms-notifications',
    question: 'turn off sms alerts, how much do they cost',
  },
  { language: 'en', expectedId: 'app-registration', question: 'how to sign up in the mobile app' },
  { language: 'en', expectedId: 'app-password-reset', question: 'i forgot my login password' },
  { language: 'en', expectedId: 'push-codes', question: 'verification code never comes' },
  { language: 'en', expectedId: 'branch-hours', question: 'are branches open on sunday' },
  { language: 'en', expectedId: 'atm-locations', question: 'where is the nearest atm' },
  {
    language: 'en',
    expectedId: 'account-open-documents',
    question: 'what papers do i need to open an account',
  },
  {
    language: 'en',
    expectedId: 'non-resident-account',
    question: 'im a foreigner can i open an account here',
  },
  {
    language: 'en',
    expectedId: 'phone-change',
    question: 'i got a new phone number, how do i update it',
  },
  {
    language: 'en',
    expectedId: 'statements-certificates',
    question: 'i need a bank statement as pdf',
  },
  {
    language: 'en',
    expectedId: 'chargeback',
    question: 'i was charged twice, how do i dispute it',
  },
  {
    language: 'en',
    expectedId: 'fraud-warning',
    question: 'a guy called saying he is from the bank and asked for my cvc',
  },
  {
    language: 'en',
    expectedId: 'tax-deduction',
    question: 'certificate of mortgage interest paid for tax refund',
  },
  { language: 'en', expectedId: 'account-closure', question: 'how do i close my account' },
  { language: 'en', expectedId: 'complaints', question: 'i want to file a complaint' },
  { language: 'en', expectedId: 'contact-support', question: 'whats your support email' },
  { language: 'en', expectedId: 'transfer-limits', question: 'daily transfer limit?' },
  {
    language: 'en',
    expectedId: 'salary-project',
    question: 'how do i get my salary paid to this card',
  },
  { language: 'en', expectedId: 'card-block', question: 'how to blok my card' },
  {
    language: 'en',
    expectedId: 'online-banking',
    question: 'can i use internet banking in a browser',
  },
  // Mixed languages.
  { language: 'ru', expectedId: 'sbp-transfers', question: 'перевод через SBP сколько стоит' },
  { language: 'ru', expectedId: 'swift-transfers', question: 'как сделать swift перевод' },
  { language: 'en', expectedId: 'savings-account', question: 'what is the rate on Копилка' },
  { language: 'ru', expectedId: 'push-codes', question: 'не приходят push уведомления с кодом' },
  // Hand-offs: own account.
  { language: 'ru', handoff: 'own-account', question: 'почему вчера списали 5000?' },
  { language: 'ru', handoff: 'own-account', question: 'какой у меня баланс' },
  {
    language: 'ru',
    handoff: 'own-account',
    question: 'где мой перевод, отправил вчера и до сих пор нет',
  },
  { language: 'ru', handoff: 'own-account', question: 'одобрили ли мою заявку на кредит?' },
  { language: 'en', handoff: 'own-account', question: 'where is my transfer from yesterday' },
  { language: 'en', handoff: 'own-account', question: 'why was i charged 30 dollars this morning' },
  {
    language: 'en',
    handoff: 'own-account',
    question: 'how much money do i have on my account right now',
  },
  // Hand-offs: asking for a person.
  { language: 'ru', handoff: 'asked-for-person', question: 'позовите оператора' },
  { language: 'ru', handoff: 'asked-for-person', question: 'хочу поговорить с живым человеком' },
  { language: 'ru', handoff: 'asked-for-person', question: 'соедините с сотрудником пожалуйста' },
  { language: 'en', handoff: 'asked-for-person', question: 'I want to talk to a human' },
  { language: 'en', handoff: 'asked-for-person', question: 'connect me to an operator please' },
  { language: 'en', handoff: 'asked-for-person', question: 'can i speak to a real person' },
  // Hand-offs: no answer in the knowledge base.
  { language: 'ru', handoff: 'no-answer', question: 'какая погода завтра в москве' },
  { language: 'ru', handoff: 'no-answer', question: 'можно ли у вас купить биткоин' },
  { language: 'ru', handoff: 'no-answer', question: 'есть ли у вас брокерский счет для акций' },
  { language: 'ru', handoff: 'no-answer', question: 'посоветуй рецепт борща' },
  { language: 'ru', handoff: 'no-answer', question: 'оформляете ли вы страховку для путешествий' },
  { language: 'en', handoff: 'no-answer', question: 'who won the football match last night' },
  { language: 'en', handoff: 'no-answer', question: 'do you offer business accounts for llc' },
  { language: 'en', handoff: 'no-answer', question: 'can i trade crypto in your app' },
  { language: 'en', handoff: 'no-answer', question: 'write me a poem about cats' },
  { language: 'en', handoff: 'no-answer', question: 'do you have a safe deposit box rental' },
];
