import type { EmbeddingModel } from '@botwire/core';
import type { FaqIndex } from './faq-index';
import { type FaqHit, type FaqSearchFeatures, searchFaqIndex } from './faq-search';
import { detectQuestionIntent } from './question-intent';
import { detectLanguage } from './text-analysis';

/**
 * The score under which the knowledge base is taken to have no answer. Calibrated on the test
 * set in `testing/faq-questions.ts` (see `bench/faq.bench.ts`): no answer is better than a wrong
 * one.
 */
export const defaultAnswerThreshold = 0.45;

/** Why {@link answerQuestion} answered or handed off. */
export type AnswerReason = 'answered' | 'no-answer' | 'own-account' | 'asked-for-person';

/** An entry an answer was taken from. */
export interface FaqCitation {
  id: string;
  title: string;
}

/** The result of {@link answerQuestion}. */
export interface FaqAnswer {
  /** The entry's text (extractive), or a message that a moderator will take over. */
  answer: string;
  /** The entries used, most relevant first (1–3); empty when handed off. */
  citations: FaqCitation[];
  /** True when a human moderator should take the question. */
  handoff: boolean;
  reason: AnswerReason;
  /** The best entry's score (0–1); 0 when the question went to a person without a search. */
  score: number;
  /** The language of the question, which the answer is in. */
  language: string;
}

/** Options for {@link answerQuestion}. */
export interface AnswerQuestionOptions {
  /** Under this score the question is handed off; default {@link defaultAnswerThreshold}. */
  threshold?: number;
  /** The question's language; default detected (Cyrillic → `ru`, else `en`). */
  language?: string;
  /** The embeddings model the index was built with; default the lexical one. */
  embeddings?: EmbeddingModel;
  /** Parts of the retrieval to turn off (for baselines). */
  features?: FaqSearchFeatures;
}

const handoffMessages: Record<string, Record<Exclude<AnswerReason, 'answered'>, string>> = {
  ru: {
    'no-answer':
      'В базе знаний нет ответа на этот вопрос. Я передам его модератору — сотрудник банка ответит вам здесь.',
    'own-account':
      'На вопросы о вашем счёте и операциях может ответить только сотрудник, который видит ваш счёт. Я передам вопрос модератору — он ответит вам здесь.',
    'asked-for-person': 'Хорошо, зову модератора — сотрудник банка ответит вам здесь.',
  },
  en: {
    'no-answer':
      "The knowledge base has no answer to this question. I'll pass it to a moderator — a bank employee will reply here.",
    'own-account':
      "Only an employee who can see your account can answer questions about your account and transactions. I'll pass your question to a moderator — they will reply here.",
    'asked-for-person': "Sure, I'm calling a moderator — a bank employee will reply here.",
  },
};

function handoff(
  reason: Exclude<AnswerReason, 'answered'>,
  language: string,
  score: number,
): FaqAnswer {
  const messages = handoffMessages[language] ?? handoffMessages.en!;
  return { answer: messages[reason], citations: [], handoff: true, reason, score, language };
}

function entryFor(index: FaqIndex, id: string, language: string) {
  return (
    index.entries.find((entry) => entry.id === id && entry.language === language) ??
    index.entries.find((entry) => entry.id === id && entry.language === 'en') ??
    index.entries.find((entry) => entry.id === id)!
  );
}

/**
 * Answers a customer's question from the knowledge base without a model: the best entry's text
 * in the question's language, with citations (most relevant first). Hands off to a moderator,
 * with a message in the question's language, when the customer asks for a person, asks about
 * their own account or operations, or no entry scores above the threshold.
 *
 * @example
 * const result = await answerQuestion(index, 'карту сперли, что делать?');
 * // { answer: 'Сразу заблокируйте карту…', citations: [{ id: 'card-lost', … }], handoff: false, … }
 */
export async function answerQuestion(
  index: FaqIndex,
  question: string,
  options: AnswerQuestionOptions = {},
): Promise<FaqAnswer> {
  const language = options.language ?? detectLanguage(question);
  const intent = detectQuestionIntent(question);
  if (intent) return handoff(intent, language, 0);
  const hits: FaqHit[] = await searchFaqIndex(index, question, {
    limit: 3,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
    ...(options.features ? { features: options.features } : {}),
  });
  const threshold = options.threshold ?? defaultAnswerThreshold;
  const best = hits[0];
  if (!best || best.score < threshold) return handoff('no-answer', language, best?.score ?? 0);
  const cited = hits.filter(
    (hit, position) => position === 0 || (hit.score >= threshold && hit.score >= best.score * 0.9),
  );
  const top = entryFor(index, best.id, language);
  return {
    answer: top.text,
    citations: cited.map((hit) => {
      const entry = entryFor(index, hit.id, language);
      return { id: entry.id, title: entry.title };
    }),
    handoff: false,
    reason: 'answered',
    score: best.score,
    language,
  };
}
