/**
 * A retrieval test set of our own: three documents (a Russian lease as a PDF, an English
 * employee handbook as a DOCX, a Russian card tariff page as HTML) and questions a user would
 * ask about them, each with a phrase that only the passage answering it contains. The
 * questions are paraphrases with other word forms, not copies of the text.
 */

/** One question, the document that answers it, and a phrase of the answering passage. */
export interface RetrievalQuestion {
  question: string;
  document: 'lease' | 'handbook' | 'tariffs';
  answer: string;
}

const filler = (sentence: string, times: number) => Array(times).fill(sentence).join(' ');

/** The lease, in Markdown for the PDF skill: long sections, so it runs over several pages. */
export const leaseMarkdown = [
  '# Договор аренды квартиры № 17/2026',
  '## 1. Предмет договора',
  'Арендодатель передаёт Арендатору во временное владение и пользование квартиру по адресу: г. Казань, ул. Баумана, д. 12, кв. 45, общей площадью 54 квадратных метра. Квартира передаётся с мебелью и бытовой техникой по описи (Приложение 1).',
  filler('Стороны подтверждают, что квартира осмотрена и пригодна для проживания.', 6),
  '## 2. Срок аренды',
  'Договор заключён на срок 11 месяцев с 1 марта 2026 года. По окончании срока договор может быть продлён по соглашению сторон, если ни одна из сторон не заявит о расторжении за 30 дней.',
  filler('Продление оформляется дополнительным соглашением в письменной форме.', 6),
  '## 3. Арендная плата',
  'Ежемесячная арендная плата составляет 38 000 рублей и вносится не позднее 5-го числа каждого месяца переводом на банковский счёт Арендодателя. Размер платы не может быть изменён Арендодателем чаще одного раза в год.',
  filler('Подтверждением оплаты служит выписка банка или чек перевода.', 8),
  '## 4. Залог',
  'При подписании договора Арендатор вносит обеспечительный платёж (залог) в размере 38 000 рублей. Залог возвращается в течение 10 дней после возврата квартиры, за вычетом стоимости ремонта повреждений.',
  filler(
    'Залог не засчитывается в счёт арендной платы за последний месяц без согласия Арендодателя.',
    6,
  ),
  '## 5. Штрафы и пени',
  'За просрочку арендной платы Арендатор уплачивает пени в размере 0,5 % от суммы долга за каждый день просрочки. При просрочке более 15 дней Арендодатель вправе расторгнуть договор в одностороннем порядке.',
  'За курение в квартире Арендатор уплачивает штраф 5 000 рублей за каждый выявленный случай.',
  filler('Уплата штрафа не освобождает от возмещения причинённого ущерба.', 6),
  '## 6. Права и обязанности сторон',
  'Арендатор обязан бережно относиться к имуществу, не делать перепланировку и не сдавать квартиру в субаренду без письменного согласия Арендодателя. Арендодатель вправе проверять состояние квартиры не чаще одного раза в месяц, предупредив Арендатора за 24 часа.',
  filler('Стороны обязуются сообщать друг другу об авариях и неисправностях незамедлительно.', 8),
  '## 7. Домашние животные',
  'Проживание с домашними животными допускается только с письменного согласия Арендодателя; в этом случае залог увеличивается на 10 000 рублей.',
  filler('Арендатор отвечает за вред, причинённый животными имуществу.', 6),
  '## 8. Коммунальные платежи',
  'Оплату электроэнергии, воды и интернета Арендатор вносит сам по показаниям счётчиков; плату за капитальный ремонт и отопление вносит Арендодатель.',
  filler('Показания счётчиков передаются ежемесячно до 25-го числа.', 6),
  '## 9. Расторжение договора',
  'Арендатор вправе досрочно расторгнуть договор, письменно уведомив Арендодателя не менее чем за 30 дней; в этом случае залог возвращается полностью, если квартира не повреждена.',
  filler(
    'Все споры стороны решают путём переговоров, а при недостижении согласия — в суде по месту нахождения квартиры.',
    6,
  ),
].join('\n\n');

/** The handbook, in the Markdown-like lines the test DOCX writer takes. */
export const handbookMarkdown = [
  '# Northwind Employee Handbook',
  '## Working hours',
  'Core working hours are from 10:00 to 16:00 Monday to Friday; outside them, employees choose when to work as long as they complete 40 hours a week.',
  '## Remote work',
  'Employees may work remotely up to three days a week after their probation period; working from another country for more than 30 days a year needs approval from HR.',
  '## Paid vacation',
  'Every employee receives 25 days of paid vacation per calendar year; up to 5 unused days can be carried over to the first quarter of the next year.',
  '## Sick leave',
  'If you are ill, tell your manager before 10:00; a doctor’s note is required from the third consecutive day of sick leave.',
  '## Expenses',
  'Travel and meal expenses are reimbursed within 14 days when submitted with receipts in the expense tool; meals are covered up to 40 euros a day.',
  '## Equipment',
  'The company provides a laptop and a monitor; a home office allowance of 300 euros is paid once to buy a chair or a desk.',
  '## Security',
  'Laptops must use full-disk encryption and lock after 5 minutes; report a lost or stolen device to the security team within one hour.',
  '## Overtime',
  'Overtime must be approved in advance by your manager and is compensated with time off at one and a half hours per hour worked.',
  '## Parental leave',
  'Parents receive 16 weeks of fully paid parental leave, which can be taken within the first year after the birth or adoption.',
  '## Code of conduct',
  'Gifts from suppliers worth more than 50 euros must be declined or reported to the compliance officer.',
].join('\n');

/** The tariff page, as HTML. */
export const tariffsHtml = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Тарифы по карте «Мир Плюс»</title></head>
<body>
<h1>Тарифы по дебетовой карте «Мир Плюс»</h1>
<h2>Обслуживание</h2>
<p>Обслуживание карты бесплатно, если сумма покупок за месяц от 10 000 рублей; иначе плата составляет 99 рублей в месяц.</p>
<h2>Снятие наличных</h2>
<p>Снятие наличных в банкоматах нашего банка бесплатно; в банкоматах других банков — 1 % от суммы, минимум 100 рублей.</p>
<h2>Лимиты</h2>
<p>Суточный лимит снятия наличных — 150 000 рублей, месячный — 1 000 000 рублей. Лимит можно изменить в мобильном приложении.</p>
<h2>Кешбэк</h2>
<p>Кешбэк 5 % начисляется в трёх выбранных категориях и 1 % на остальные покупки, не более 3 000 рублей в месяц; баллы приходят до 15-го числа следующего месяца.</p>
<h2>Переводы</h2>
<p>Переводы по номеру телефона через СБП бесплатны до 100 000 рублей в месяц, сверх этого — 0,5 % от суммы.</p>
<h2>Блокировка карты</h2>
<p>Если карта потеряна или украдена, заблокируйте её в приложении или позвоните по номеру 8 800 555-35-35 круглосуточно.</p>
<h2>Перевыпуск</h2>
<p>Перевыпуск карты по окончании срока действия бесплатный; перевыпуск из-за утери стоит 300 рублей.</p>
<h2>Процент на остаток</h2>
<p>На остаток по карте начисляется 4 % годовых при остатке до 300 000 рублей.</p>
<h2>Уведомления</h2>
<p>СМС-уведомления об операциях стоят 59 рублей в месяц; пуш-уведомления в приложении бесплатные.</p>
<h2>Покупки за границей</h2>
<p>Карта «Мир» за границей работает только в странах, принимающих платёжную систему Мир; конвертация по курсу банка плюс 1,5 %.</p>
</body></html>`;

/** 32 questions: 12 on the lease, 10 on the handbook, 10 on the tariffs. */
export const retrievalQuestions: RetrievalQuestion[] = [
  {
    question: 'Какой адрес у квартиры, которую я снимаю?',
    document: 'lease',
    answer: 'ул. Баумана',
  },
  { question: 'На какой срок заключён договор аренды?', document: 'lease', answer: '11 месяцев' },
  {
    question: 'Сколько я плачу за аренду в месяц?',
    document: 'lease',
    answer: '38 000 рублей и вносится',
  },
  {
    question: 'До какого числа нужно вносить арендную плату?',
    document: 'lease',
    answer: '5-го числа',
  },
  { question: 'Когда мне вернут залог?', document: 'lease', answer: 'в течение 10 дней' },
  { question: 'что в моём договоре про пени за просрочку?', document: 'lease', answer: '0,5 %' },
  { question: 'Какой штраф за курение в квартире?', document: 'lease', answer: '5 000 рублей' },
  { question: 'Можно ли сдать квартиру в субаренду?', document: 'lease', answer: 'субаренду' },
  {
    question: 'Можно ли жить с собакой или кошкой?',
    document: 'lease',
    answer: 'домашними животными',
  },
  {
    question: 'Кто оплачивает отопление и капремонт?',
    document: 'lease',
    answer: 'капитальный ремонт',
  },
  {
    question: 'Как досрочно расторгнуть договор?',
    document: 'lease',
    answer: 'досрочно расторгнуть',
  },
  {
    question: 'Как часто хозяин может проверять квартиру?',
    document: 'lease',
    answer: 'проверять состояние квартиры',
  },
  {
    question: 'What are the core working hours?',
    document: 'handbook',
    answer: 'Core working hours',
  },
  {
    question: 'How many days a week can I work from home?',
    document: 'handbook',
    answer: 'remotely up to three days',
  },
  {
    question: 'How many vacation days do I get?',
    document: 'handbook',
    answer: '25 days of paid vacation',
  },
  {
    question: 'When do I need a doctor note for sick leave?',
    document: 'handbook',
    answer: 'doctor’s note',
  },
  {
    question: 'How fast are expenses reimbursed?',
    document: 'handbook',
    answer: 'reimbursed within 14 days',
  },
  {
    question: 'Is there an allowance for a home office chair?',
    document: 'handbook',
    answer: 'home office allowance',
  },
  {
    question: 'What should I do if my laptop is stolen?',
    document: 'handbook',
    answer: 'lost or stolen device',
  },
  {
    question: 'How is overtime compensated?',
    document: 'handbook',
    answer: 'Overtime must be approved',
  },
  { question: 'How long is parental leave?', document: 'handbook', answer: '16 weeks' },
  {
    question: 'Can I accept a gift from a supplier?',
    document: 'handbook',
    answer: 'Gifts from suppliers',
  },
  {
    question: 'Сколько стоит обслуживание карты?',
    document: 'tariffs',
    answer: '99 рублей в месяц',
  },
  {
    question: 'Какая комиссия за снятие наличных в чужом банкомате?',
    document: 'tariffs',
    answer: 'минимум 100 рублей',
  },
  {
    question: 'Какой суточный лимит на снятие наличных?',
    document: 'tariffs',
    answer: '150 000 рублей',
  },
  {
    question: 'Сколько кешбэка можно получить в месяц?',
    document: 'tariffs',
    answer: 'Кешбэк 5 %',
  },
  { question: 'Платные ли переводы через СБП?', document: 'tariffs', answer: 'СБП' },
  { question: 'Что делать, если украли карту?', document: 'tariffs', answer: 'заблокируйте' },
  {
    question: 'Сколько стоит перевыпуск карты при утере?',
    document: 'tariffs',
    answer: 'перевыпуск из-за утери',
  },
  { question: 'Какой процент начисляется на остаток?', document: 'tariffs', answer: '4 % годовых' },
  { question: 'Сколько стоят смс-уведомления?', document: 'tariffs', answer: '59 рублей' },
  { question: 'Работает ли карта за границей?', document: 'tariffs', answer: 'за границей' },
];
